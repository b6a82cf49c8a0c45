"""Doc 002's 360° view of a transaction."""

import datetime as dt

import strawberry

import models
from resolvers.analytics.transaction_360 import transaction_360
from resolvers.context import Info
from schema.analytics.inputs import of_transaction
from schema.analytics.report import Report, answer, compiled
from schema.personal import personal


@strawberry.type(
    description="A transaction with its buyer, product, offer snapshot, UTMs, payment and invoice; one row "
    "per combination, as the example joins them."
)
class TransactionView:
    transaction_id: str
    platform: str
    order_date: dt.datetime
    customer_name: str | None = personal("The buyer's name.")
    email: str | None = personal("The buyer's e-mail.")
    product_name: str
    offer_name: str | None
    description: str | None = strawberry.field(description="The offer's description at sale time.")
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None
    payment_method: models.PaymentMethod | None
    payment_date: dt.datetime | None
    card_brand: str | None = personal("Card brand; null 2 years after the payment.")
    installments: int | None
    invoice_number: str | None
    issue_date: dt.datetime | None
    pdf_url: str | None = personal("Link to the DANFE.")


transaction_360_report = of_transaction(transaction_360)


@strawberry.type
class TransactionReports:
    @strawberry.field(
        description="Doc 002: the 360° view of one transaction; by global id, internalId, or the platform's "
        "transactionId (platform optional).",
        metadata=compiled(transaction_360_report),
    )
    async def transaction_360(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        internal_id: int | None = None,
        transaction_id: str | None = None,
        platform: str | None = None,
    ) -> Report[TransactionView]:
        return await answer(info, transaction_360_report(id, internal_id, transaction_id, platform))
