"""Per-transaction history from the checkout platforms: payment attempts, UTMs, invoices, offer snapshots."""

import datetime as dt
from decimal import Decimal
from typing import cast

import strawberry
from strawberry.scalars import JSON

import models
from loaders.relation import ColumnRead, reads
from schema.node import Node, integer_key, node_type
from schema.personal import personal
from schema.relations import lazy, to_one
from schema.types.checkout import CREATED, UPDATED

CHECKOUT = "schema.types.checkout"

# Card data is kept this many years after the payment, as the reference schema's retention view does.
CARD_DATA_YEARS = 2


def card_data_kept(payment_date: dt.datetime | None, today: dt.date | None = None) -> bool:
    """payment_date > CURRENT_DATE - INTERVAL '2 years' (UTC), the reference view's condition."""
    if payment_date is None:
        return False
    today = today or dt.datetime.now(dt.UTC).date()
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    cutoff = dt.datetime(today.year - CARD_DATA_YEARS, today.month, day, tzinfo=dt.UTC)
    return payment_date > cutoff


# The models' enums are the GraphQL enums: one list of values, the database's.
strawberry.enum(models.PaymentMethod, description="How the buyer paid (payment_method_enum).")
strawberry.enum(models.PaymentType, description="How a payment is split over time (payment_type_enum).")


@node_type(
    models.PaymentAttempt,
    models.PaymentAttempt.id,
    "One payment attempt or event of a transaction (declines included), from the platform's gateway.",
)
class PaymentAttempt(Node):
    payment_id = integer_key("The attempt's id (platform_transaction_payment_history.id).")

    transaction_internal_id = integer_key("The transaction's internalId.", "transaction_id")

    @strawberry.field(
        description="Payment method: card, PIX, boleto...",
        metadata=reads(ColumnRead(models.PaymentAttempt.payment_method)),
    )
    def payment_method(self, root: strawberry.Parent[models.PaymentAttempt]) -> models.PaymentMethod | None:
        return root.payment_method

    @strawberry.field(
        description="Single payment, installments, subscription or recurring.",
        metadata=reads(ColumnRead(models.PaymentAttempt.payment_type)),
    )
    def payment_type(self, root: strawberry.Parent[models.PaymentAttempt]) -> models.PaymentType | None:
        return root.payment_type

    installments: int | None = strawberry.field(description="Number of installments.")
    value: Decimal | None = strawberry.field(description="Amount paid or attempted.")
    payment_date: dt.datetime | None = strawberry.field(description="When the attempt was made.")

    @personal("Card brand (visa, mastercard, elo...); null for every role 2 years after the payment.")
    def card_brand(self, root: strawberry.Parent[models.PaymentAttempt]) -> str | None:
        return root.card_brand if card_data_kept(root.payment_date) else None

    @personal("Last 4 digits of the card, never more; null for every role 2 years after the payment.")
    def card_last_digits(self, root: strawberry.Parent[models.PaymentAttempt]) -> str | None:
        return root.card_last_digits if card_data_kept(root.payment_date) else None

    bank_slip_barcode: str | None = personal("Boleto barcode.")
    pix_code: str | None = personal("PIX copy-and-paste code.")

    @strawberry.field(
        description="Gateway-specific details (decline_code, gateway_specific_code...).",
        metadata=reads(ColumnRead(models.PaymentAttempt.metadata_)),
    )
    def metadata(self, root: strawberry.Parent[models.PaymentAttempt]) -> JSON | None:
        return cast(JSON, root.metadata_)

    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    transaction = to_one(
        models.Transaction.id, "transaction_id", lazy("Transaction", CHECKOUT), "The transaction."
    )


@node_type(
    models.TransactionUtm,
    models.TransactionUtm.id,
    "UTM parameters present when a transaction converted, as the checkout platform reported them.",
)
class TransactionUtm(Node):
    utm_id = integer_key("The capture's id (platform_utm_history.id).")

    transaction_internal_id = integer_key("The transaction's internalId.", "transaction_id")
    utm_source: str | None = strawberry.field(description="Traffic origin (google, facebook...).")
    utm_medium: str | None = strawberry.field(description="Marketing channel (cpc, email, social...).")
    utm_campaign: str | None = strawberry.field(description="Campaign name.")
    utm_term: str | None = strawberry.field(description="Keywords, mostly of paid search.")
    utm_content: str | None = strawberry.field(description="Which version of the ad.")
    capture_date: dt.datetime = strawberry.field(description="When the parameters were captured.")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    transaction = to_one(
        models.Transaction.id, "transaction_id", lazy("Transaction", CHECKOUT), "The transaction."
    )


@node_type(models.Invoice, models.Invoice.id, "A tax document (NF-e) issued for a transaction.")
class Invoice(Node):
    invoice_id = integer_key("The invoice's id (platform_software_invoice_history.id).")

    transaction_internal_id = integer_key("The transaction's internalId.", "transaction_id")
    invoice_number: str | None = strawberry.field(description="Invoice number.")
    invoice_series: str | None = strawberry.field(description="Invoice series.")
    invoice_key: str | None = strawberry.field(description="NF-e access key (44 characters).")
    issue_date: dt.datetime | None = strawberry.field(description="When the invoice was issued.")
    status: str | None = strawberry.field(description="Invoice status (Emitida, Cancelada, Denegada...).")
    xml_url: str | None = personal("URL of the invoice XML.")
    pdf_url: str | None = personal("URL of the invoice PDF (DANFE).")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    transaction = to_one(
        models.Transaction.id, "transaction_id", lazy("Transaction", CHECKOUT), "The transaction."
    )


@node_type(
    models.OfferSnapshot,
    models.OfferSnapshot.id,
    "The offer exactly as it was when a transaction was made, whatever changed since.",
)
class OfferSnapshot(Node):
    snapshot_id = integer_key("The snapshot's id (platform_sale_offer_history.id).")

    transaction_internal_id = integer_key("The transaction's internalId.", "transaction_id")
    code: str | None = strawberry.field(description="Offer code at sale time (e.g. BASICCOURSE).")
    offer_id: str | None = strawberry.field(description="The platform's offer id (Offer.offerId).")
    offer_name: str | None = strawberry.field(description="Offer name at sale time.")
    description: str | None = strawberry.field(description="Offer description at sale time.")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    transaction = to_one(
        models.Transaction.id, "transaction_id", lazy("Transaction", CHECKOUT), "The transaction."
    )
    offer = to_one(
        models.Offer.offer_id, "offer_id", lazy("Offer", CHECKOUT), "The offer as it is now; null when gone."
    )
