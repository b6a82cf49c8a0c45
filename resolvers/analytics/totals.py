"""Counts and sums of transactions and sessions, grouped by UTM keys, affiliate, and local day/week/month.

Built with SQLAlchemy Core so that they take the very conditions of `transactions(filter:)` and
`sessions(filter:)`. A sale with several UTM captures counts once in each of their groups, never twice in one.
"""

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    DateTime,
    Select,
    String,
    and_,
    cast,
    func,
    literal,
    null,
    select,
)

import models
from resolvers.analytics.period import Period
from resolvers.errors import ArgumentError


class GroupKey(enum.Enum):
    UTM_SOURCE = "utm_source"
    UTM_MEDIUM = "utm_medium"
    UTM_CAMPAIGN = "utm_campaign"
    UTM_CONTENT = "utm_content"
    AFFILIATE = "affiliate"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


UTM_KEYS = (GroupKey.UTM_SOURCE, GroupKey.UTM_MEDIUM, GroupKey.UTM_CAMPAIGN, GroupKey.UTM_CONTENT)
TIME_KEYS = (GroupKey.DAY, GroupKey.WEEK, GroupKey.MONTH)
# Every key a row carries; those not grouped by are null.
ROW_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "affiliate", "bucket")


def checked_keys(keys: Sequence[GroupKey], allowed: Sequence[GroupKey]) -> list[GroupKey]:
    unique = list(dict.fromkeys(keys))
    if not unique:
        raise ArgumentError("groupBy", "needs at least one key")
    if refused := [k.name for k in unique if k not in allowed]:
        raise ArgumentError("groupBy", f"cannot group by {', '.join(refused)} here")
    if len([k for k in unique if k in TIME_KEYS]) > 1:
        raise ArgumentError("groupBy", "takes one of DAY, WEEK, MONTH at most")
    return unique


def bucket(instant: Any, keys: Sequence[GroupKey], period: Period) -> ColumnElement[Any] | None:
    unit = next((k.value for k in keys if k in TIME_KEYS), None)
    if unit is None:
        return None
    local = func.timezone(literal(period.time_zone), instant)
    return cast(func.date_trunc(unit, local), Date)


def absent(key: str) -> ColumnElement[Any]:
    """A key not grouped by: null, typed as the key (the compiled path formats a date with to_char)."""
    return cast(null(), Date if key == "bucket" else String).label(key)


def grouped(members: Select[Any], counted: str, summed: str | None) -> Select[Any]:
    """Group the distinct (keys, member) rows of `members`: how many members, and their summed value."""
    inner = members.distinct().subquery()
    keys = [inner.c[name] if name in inner.c else absent(name) for name in ROW_KEYS]
    present = [inner.c[name] for name in ROW_KEYS if name in inner.c]
    value = func.sum(inner.c[summed]) if summed else null()
    return (
        select(*keys, func.count(inner.c[counted]).label("count"), value.label("value"))
        .group_by(*present)
        .order_by(*[c.asc().nulls_last() for c in present])
    )


def transaction_totals(
    keys: Sequence[GroupKey], filters: list[ColumnElement[bool]], period: Period
) -> Select[Any]:
    t, u, c = models.Transaction, models.TransactionUtm, models.Commission
    keys = checked_keys(keys, list(GroupKey))
    columns: list[ColumnElement[Any]] = [getattr(u, k.value).label(k.value) for k in keys if k in UTM_KEYS]
    time = bucket(t.order_date, keys, period)
    if time is not None:
        columns.append(time.label("bucket"))
    if GroupKey.AFFILIATE in keys:
        columns.append(c.recipient_name.label("affiliate"))
    members = select(*columns, t.id.label("member"), t.offer_price).select_from(t)
    if any(k in UTM_KEYS for k in keys):
        members = members.outerjoin(u, u.transaction_id == t.id)
    if GroupKey.AFFILIATE in keys:
        members = members.outerjoin(c, and_(c.transaction_id == t.id, c.source == "AFFILIATE"))
    members = members.where(*filters, *within(t.order_date, period))
    return grouped(members, "member", "offer_price")


SESSION_KEYS = (*UTM_KEYS, *TIME_KEYS)


def session_totals(
    keys: Sequence[GroupKey], filters: list[ColumnElement[bool]], period: Period
) -> Select[Any]:
    """Sessions counted per group in two steps: per UTM keys and local day, then per bucket of those days."""
    keys = checked_keys(keys, SESSION_KEYS)
    return counted_sessions(sessions_per_day(keys, filters, period).subquery("per_day"), keys)


def sessions_per_day(
    keys: Sequence[GroupKey], filters: list[ColumnElement[bool]], period: Period
) -> Select[Any]:
    """Sessions per UTM keys and local day (`sessions`), from the tables.

    Only a session's UTM captures can repeat a group, so only they are deduplicated (per session and keys),
    before the join; the local day is computed once per session and group, the week or month once per day.
    """
    s, u = models.Session, models.UtmTracking
    utm = [k.value for k in keys if k in UTM_KEYS]
    columns: list[ColumnElement[Any]] = []
    source: Any = s
    if utm:
        captures = select(u.session_id, *[getattr(u, name) for name in utm]).distinct().subquery("captures")
        columns += [captures.c[name].label(name) for name in utm]
        source = models.Session.__table__.outerjoin(captures, captures.c.session_id == s.session_id)
    if any(k in TIME_KEYS for k in keys):
        columns.append(cast(func.timezone(literal(period.time_zone), s.started_at), Date).label("day"))
    return (
        select(*columns, func.count().label("sessions"))
        .select_from(source)
        .where(*filters, *within(s.started_at, period))
        .group_by(*columns)
    )


def counted_sessions(per_day: Any, keys: Sequence[GroupKey], *extra: ColumnElement[Any]) -> Select[Any]:
    """The rows of sessionTotals from its sessions per UTM keys and local day; `extra` columns added."""
    unit = next((k.value for k in keys if k in TIME_KEYS), None)
    present: list[ColumnElement[Any]] = [per_day.c[k.value] for k in keys if k in UTM_KEYS]
    if unit is not None:
        day = per_day.c.day
        present.append(
            (day if unit == "day" else cast(func.date_trunc(unit, cast(day, DateTime)), Date)).label("bucket")
        )
    named = {column.name: column for column in present}
    row = [named.get(name, absent(name)) for name in ROW_KEYS]
    return (
        select(
            *row, cast(func.sum(per_day.c.sessions), BigInteger).label("count"), null().label("value"), *extra
        )
        .group_by(*present)
        .order_by(*[c.asc().nulls_last() for c in present])
    )


def within(column: Any, period: Period) -> list[ColumnElement[bool]]:
    """The period's local days as conditions on an instant, computed by PostgreSQL."""
    return [
        *([] if period.start is None else [column >= local_midnight(period.start, period.time_zone)]),
        *([] if period.end is None else [column < local_midnight(period.end, period.time_zone)]),
    ]


def local_midnight(day: dt.date, time_zone: str) -> ColumnElement[Any]:
    # A timestamp without time zone: timezone(zone, it) reads it as wall-clock time in that zone.
    return func.timezone(literal(time_zone), cast(literal(dt.datetime.combine(day, dt.time())), DateTime()))
