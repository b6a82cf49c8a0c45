"""Arguments every report shares: a period of local days in an explicit time zone."""

import datetime as dt
from collections.abc import Callable

import strawberry

import models
from resolvers.analytics.keys import CustomerKey, TransactionKey
from resolvers.analytics.period import DEFAULT_TIME_ZONE, Period, checked_period
from resolvers.analytics.statement import ReportQuery, Statement
from resolvers.errors import ArgumentError
from schema.node import decode_key


@strawberry.input(
    description="Local days in a time zone: from (included) to (excluded); either may be omitted (open)."
)
class ReportPeriod:
    from_: dt.date | None = strawberry.field(default=None, name="from", description="First day included.")
    to: dt.date | None = strawberry.field(default=None, description="First day no longer included.")
    time_zone: str = strawberry.field(
        default=DEFAULT_TIME_ZONE, description="IANA time zone the days (and months, weeks) are in."
    )


def period_of(value: ReportPeriod | None) -> Period:
    if value is None:
        return Period()
    return checked_period(value.from_, value.to, value.time_zone)


def transaction_key(
    id: strawberry.ID | None, internal_id: int | None, transaction_id: str | None, platform: str | None
) -> TransactionKey:
    """A per-transaction report's key: its global id, internalId, or the platform's transactionId."""
    if id is not None and internal_id is not None:
        raise ArgumentError("id", "or 'internalId' or 'transactionId': give exactly one")
    internal = internal_id if id is None else decode_key(id, models.Transaction)
    return TransactionKey(internal, transaction_id, platform)


Query = tuple[str, Statement]


def over_period(statement: Callable[[Period], Query]) -> Callable[[ReportPeriod | None], ReportQuery]:
    """What a report taking only a period reads (its resolver and the compiled path call it)."""

    def report(period: ReportPeriod | None = None) -> ReportQuery:
        span = period_of(period)
        return ReportQuery(statement(span), span)

    return report


def of_transaction(statement: Callable[[TransactionKey], Query]) -> Callable[..., ReportQuery]:
    """What a report on one transaction reads, from the arguments naming it."""

    def report(
        id: strawberry.ID | None = None,
        internal_id: int | None = None,
        transaction_id: str | None = None,
        platform: str | None = None,
    ) -> ReportQuery:
        return ReportQuery(statement(transaction_key(id, internal_id, transaction_id, platform)), Period())

    return report


def of_customer(statement: Callable[[CustomerKey, Period], Query]) -> Callable[..., ReportQuery]:
    """What a report on one customer (by id or e-mail) over a period reads."""

    def report(
        customer_id: int | None = None, customer_email: str | None = None, period: ReportPeriod | None = None
    ) -> ReportQuery:
        span = period_of(period)
        return ReportQuery(statement(CustomerKey(customer_id, customer_email), span), span)

    return report
