"""Arguments every report shares: a period of local days in an explicit time zone."""

import datetime as dt

import strawberry

import models
from resolvers.analytics.keys import TransactionKey
from resolvers.analytics.period import DEFAULT_TIME_ZONE, Period, checked_period
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
