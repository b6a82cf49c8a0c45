"""ingestTransaction: a sale from any checkout (or a backfill), written like a Hotmart or Kiwify webhook."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import strawberry

from models import PaymentMethod, PaymentType, Transaction
from models.enums import SaleStatus
from resolvers.checkout.ingest import ingest_transaction
from resolvers.checkout.shape import (
    Buyer,
    CommissionShare,
    Item,
    OfferTerms,
    Payment,
    Sale,
    SubscriptionTerms,
    Tracking,
)
from resolvers.context import Info
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.results import row_field
from schema.types import checkout_history as _payment_enums  # noqa: F401  registers PaymentMethod/PaymentType

strawberry.enum(SaleStatus, description="A transaction's status (the codes of transaction_statuses).")


@strawberry.input(description="The buyer; customers are matched by e-mail, then by CPF/CNPJ.")
class SaleBuyerInput:
    email: str = strawberry.field(description="The buyer's e-mail (required: the match key).")
    name: str | None = None
    phone: str | None = None
    document: str | None = strawberry.field(
        default=None,
        description="CPF or CNPJ, punctuation allowed; a bad check digit is flagged, not refused.",
    )


@strawberry.input(description="A product of the sale; the first is the main product.")
class SaleItemInput:
    external_id: str = strawberry.field(
        description="The platform's product id, Product.externalId (1-100 chars)."
    )
    name: str = strawberry.field(description="The product's name.")
    unit_price: Decimal = strawberry.field(description="Price of one unit, >= 0, at most 4 decimals.")
    quantity: int = 1


@strawberry.input(description="The offer as sold: a new price or name makes a new snapshot.")
class SaleOfferInput:
    code: str | None = None
    name: str | None = None
    price: Decimal | None = strawberry.field(default=None, description="List price before coupons.")
    coupon_code: str | None = None


@strawberry.input(description="One payment attempt: card brand and last 4 digits only, never a card number.")
class SalePaymentInput:
    method: PaymentMethod | None = None
    payment_type: PaymentType | None = strawberry.field(
        default=None, description="Derived from installments and subscription when null."
    )
    installments: int | None = None
    value: Decimal | None = None
    at: dt.datetime | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    pix_code: str | None = None
    pix_expires_at: dt.datetime | None = None
    boleto_line: str | None = None
    boleto_url: str | None = None
    boleto_expires_at: dt.datetime | None = None


@strawberry.input(description="A share of the sale.")
class SaleCommissionInput:
    source: str = strawberry.field(description="PRODUCER, COPRODUCER, AFFILIATE or MARKETPLACE.")
    amount: Decimal
    currency: str = "BRL"
    recipient: str | None = None


@strawberry.input(description="The sale's tracking parameters as the checkout received them.")
class SaleTrackingInput:
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    src: str | None = None
    sck: str | None = None
    xcod: str | None = None


@strawberry.input(description="The subscription a charge belongs to: a renewal is a new transaction of it.")
class SaleSubscriptionInput:
    subscription_id: str = strawberry.field(description="The platform's subscription id.")
    plan_id: str | None = None
    plan_name: str | None = None
    status: str | None = None
    charge_number: int | None = strawberry.field(default=None, description="1 for the first charge.")
    started_at: dt.datetime | None = None
    next_charge_at: dt.datetime | None = None


@strawberry.input(
    description="One state of one platform transaction. Sending it again changes nothing; a later state "
    "(a refund) moves the transaction on, an older one arriving late is kept in its history only."
)
class IngestTransactionInput:
    platform: str = strawberry.field(description="The checkout's name, e.g. eduzz (1-50 chars, lower-cased).")
    transaction_id: str = strawberry.field(description="The platform's transaction id; unique per platform.")
    status: SaleStatus
    occurred_at: dt.datetime = strawberry.field(description="When the transaction reached this status.")
    amount: Decimal = strawberry.field(description="What the buyer pays, >= 0, at most 4 decimals.")
    buyer: SaleBuyerInput
    items: list[SaleItemInput]
    order_date: dt.datetime | None = strawberry.field(default=None, description="Defaults to occurredAt.")
    status_detail: str | None = strawberry.field(
        default=None, description="The platform's own status name, kept in the history; defaults to status."
    )
    currency: str = "BRL"
    approved_at: dt.datetime | None = None
    offer: SaleOfferInput | None = None
    payment: SalePaymentInput | None = None
    commissions: list[SaleCommissionInput] = strawberry.field(default_factory=list)
    tracking: SaleTrackingInput | None = None
    subscription: SaleSubscriptionInput | None = None
    parent_transaction_id: str | None = strawberry.field(
        default=None, description="An order bump: the platform id of the purchase it was added to."
    )
    domain_id: uuid.UUID | None = strawberry.field(default=None, description="Whose sale; closes the loop.")

    def sale(self) -> Sale:
        def fields(value: object) -> dict[str, Any]:
            return dict(vars(value))

        return Sale(
            platform=self.platform.strip().lower(),
            transaction_id=self.transaction_id.strip(),
            status=self.status,
            status_detail=(self.status_detail or self.status.value).strip(),
            occurred_at=self.occurred_at,
            order_date=self.order_date or self.occurred_at,
            amount=self.amount,
            buyer=Buyer(**fields(self.buyer)),
            items=tuple(Item(**fields(item)) for item in self.items),
            currency=self.currency.strip().upper(),
            approved_at=self.approved_at,
            offer=None if self.offer is None else OfferTerms(**fields(self.offer)),
            payment=None if self.payment is None else Payment(**fields(self.payment)),
            commissions=tuple(CommissionShare(**fields(c)) for c in self.commissions),
            tracking=None if self.tracking is None else Tracking(**fields(self.tracking)),
            subscription=None
            if self.subscription is None
            else SubscriptionTerms(**fields(self.subscription)),
            parent_transaction_id=self.parent_transaction_id,
            domain_id=self.domain_id,
        )


@strawberry.type(description="The transaction once the sale is applied.")
class IngestTransactionPayload:
    transaction: Transaction | None = row_field(
        "Transaction", "schema.types.checkout", "The transaction as stored; null on error."
    )
    created: bool = strawberry.field(default=False, description="False when the transaction was known.")
    status: SaleStatus | None = strawberry.field(default=None, description="Its status once applied.")
    previous_status: SaleStatus | None = strawberry.field(
        default=None, description="Its status before this call; null when new."
    )
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class IngestTransactionMutation:
    @strawberry.mutation(
        description="Record a sale of any checkout platform the way the Hotmart and Kiwify webhooks do "
        "(customer, products, offer, items, payment, UTMs, commissions, subscription, status history, "
        "the closed loop to a lead). Idempotent by platform and transactionId. Needs connector or admin."
    )
    async def ingest_transaction(self, info: Info, input: IngestTransactionInput) -> IngestTransactionPayload:
        outcome = await ingest_transaction(info.context, input.sale())
        return IngestTransactionPayload(
            transaction=outcome.transaction,
            created=outcome.created,
            status=outcome.status,
            previous_status=outcome.previous_status,
            errors=mutation_errors(outcome.errors),
        )
