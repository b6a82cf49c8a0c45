"""Arguments every report shares: a period of local days in an explicit time zone."""

import datetime as dt

import strawberry

from resolvers.analytics.period import DEFAULT_TIME_ZONE, Period, checked_period


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
