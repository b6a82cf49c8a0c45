"""Doc 002's offer reports: an offer over time, what one sale was offered, each version's results."""

import datetime as dt
import enum
from decimal import Decimal

import strawberry

from resolvers.analytics.offers import offer_changes, offer_versions, transaction_offer
from resolvers.analytics.statement import ReportQuery
from resolvers.context import Info
from schema.analytics.inputs import ReportPeriod, of_transaction, period_of
from schema.analytics.report import Report, answer, compiled
from schema.personal import personal


@strawberry.type(description="One wording (name and description) of an offer and the sales made under it.")
class OfferChange:
    first_sale: dt.datetime
    latest_sale: dt.datetime
    offer_name: str | None
    description: str | None
    total_sales: int


@strawberry.enum(description="Whether the offer changed since the sale.")
class OfferStatus(enum.Enum):
    MODIFIED = "MODIFIED"
    SAME = "SAME"


@strawberry.type(description="What a sale was offered, next to the offer as it is now.")
class OfferedInTransaction:
    transaction_id: str
    platform: str
    order_date: dt.datetime
    customer_name: str | None = personal("The buyer's name.")
    email: str | None = personal("The buyer's e-mail.")
    offer_name: str | None = strawberry.field(description="The offer's name at sale time.")
    description: str | None = strawberry.field(description="The offer's description at sale time.")
    current_offer_name: str | None
    current_offer_description: str | None
    offer_status: OfferStatus = strawberry.field(
        description="MODIFIED when the name or description differs now (both known), else SAME."
    )


@strawberry.type(description="One version of an offer (its name's first 50 characters) and its sales.")
class OfferVersion:
    offer_version: str | None
    transactions: int
    total_revenue: Decimal
    avg_order_value: Decimal
    percentage_of_sales: Decimal = strawberry.field(description="% of the offer code's sales.")


def offer_changes_report(offer_id: str, period: ReportPeriod | None = None) -> ReportQuery:
    span = period_of(period)
    return ReportQuery(offer_changes(offer_id, span), span)


transaction_offer_report = of_transaction(transaction_offer)


def offer_versions_report(code: str, period: ReportPeriod | None = None) -> ReportQuery:
    span = period_of(period)
    return ReportQuery(offer_versions(code, span), span)


@strawberry.type
class OfferReports:
    @strawberry.field(
        description="Doc 002: the wordings an offer (platform offer id) was sold under, with first and "
        "latest sale; orders in the period. Oldest first.",
        metadata=compiled(offer_changes_report),
    )
    async def offer_changes(
        self, info: Info, offer_id: str, period: ReportPeriod | None = None
    ) -> Report[OfferChange]:
        return await answer(info, offer_changes_report(offer_id, period))

    @strawberry.field(
        description="Doc 002: exactly what was offered in one transaction, and whether the offer changed "
        "since; by global id, internalId, or the platform's transactionId (platform optional).",
        metadata=compiled(transaction_offer_report),
    )
    async def transaction_offer(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        internal_id: int | None = None,
        transaction_id: str | None = None,
        platform: str | None = None,
    ) -> Report[OfferedInTransaction]:
        return await answer(info, transaction_offer_report(id, internal_id, transaction_id, platform))

    @strawberry.field(
        description="Doc 002: sales per version of an offer code ordered in the period. Most revenue first.",
        metadata=compiled(offer_versions_report),
    )
    async def offer_versions(
        self, info: Info, code: str, period: ReportPeriod | None = None
    ) -> Report[OfferVersion]:
        return await answer(info, offer_versions_report(code, period))
