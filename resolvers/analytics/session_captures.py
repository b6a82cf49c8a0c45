"""sessionTotals from analytics_session_captures and its per-day totals (resolvers/analytics/materialized.py).

The conditions of `sessions(filter:)` hold over the view's rows as over the tables (`over_captures`). One
statement holds every way to answer; PostgreSQL skips the branches their one-time conditions rule out:
the per-day totals (no filter, the default zone), the view's rows, or the tables before the first refresh.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    Integer,
    Select,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
    union_all,
)

import models
from resolvers.analytics.materialized import (
    SESSION_CAPTURES,
    SESSION_DAY_TOTALS,
    fresh,
    refreshed,
    refreshed_at,
)
from resolvers.analytics.period import DEFAULT_TIME_ZONE, Period
from resolvers.analytics.totals import (
    SESSION_KEYS,
    TIME_KEYS,
    UTM_KEYS,
    GroupKey,
    checked_keys,
    counted_sessions,
    sessions_per_day,
    within,
)
from resolvers.filters import Column, FilterSpec, Via

_SESSION, _UTM = models.Session.__table__.c, models.UtmTracking.__table__.c
_KEYS = [_UTM[key.value] for key in UTM_KEYS]
CAPTURES = table(
    SESSION_CAPTURES.name,
    *(
        column(c.name, c.type)
        for c in (_SESSION.session_id, _SESSION.domain_id, _SESSION.visitor_id, _SESSION.started_at)
    ),
    *(column(c.name, c.type) for c in (_SESSION.total_page_views, _SESSION.converted)),
    column("day", Date()),
    column("captured", Boolean()),
    *(column(c.name, c.type) for c in _KEYS),
    column("heads", Integer()),
)
DAY_TOTALS = table(
    SESSION_DAY_TOTALS.name,
    *(column(c.name, c.type) for c in _KEYS),
    column("heads", Integer()),
    column("day", Date()),
    column("sessions", BigInteger()),
)


def over_captures(spec: FilterSpec, captures_via: Via) -> FilterSpec:
    """`spec` (of sessions(filter:)) over the view's rows. A condition through `captures_via` holds when one
    of the session's captures meets them all, as one of its utm_tracking rows does."""
    capture = CAPTURES.alias("capture")
    via = Via(
        lambda conditions: exists(
            select(capture.c.session_id).where(
                capture.c.session_id == CAPTURES.c.session_id, capture.c.captured, *conditions
            )
        )
    )
    fields: dict[str, Column] = {}
    for name, target in spec.fields.items():
        # A field the view cannot answer fails here, at import, rather than being ignored.
        if not isinstance(target, Column) or target.via not in (None, captures_via) or spec.combined:
            raise TypeError(
                f"sessions(filter:) field {name!r} has no equivalent over {SESSION_CAPTURES.name}"
            )
        rows = CAPTURES if target.via is None else capture
        fields[name] = Column(rows.c[target.column.name], None if target.via is None else via)
    return FilterSpec(fields)


def head_bit(keys: Sequence[GroupKey]) -> int:
    """The bit of `heads` marking one row per session and values of the UTM keys grouped by."""
    return 1 << sum(1 << i for i, key in enumerate(UTM_KEYS) if key in keys)


def stored_session_totals(
    keys: Sequence[GroupKey],
    filters: list[ColumnElement[bool]],
    view_filters: list[ColumnElement[bool]],
    period: Period,
) -> Select[Any]:
    """sessionTotals from the views: `filters` are sessions(filter:)'s over the tables, `view_filters` the
    same over analytics_session_captures. Rows carry the view's `refreshed_at` (null: read the tables)."""
    keys = checked_keys(keys, SESSION_KEYS)
    utm = [k.value for k in keys if k in UTM_KEYS]
    timed = any(k in TIME_KEYS for k in keys)
    heads = head_bit(keys)
    stored = literal_column(refreshed(SESSION_CAPTURES), Boolean)
    c = CAPTURES.c
    local = cast(func.timezone(literal(period.time_zone), c.started_at), Date)
    day = c.day if period.time_zone == DEFAULT_TIME_ZONE else local
    columns = [*(c[name] for name in utm), *([day.label("day")] if timed else [])]
    rows = (
        select(*columns, func.count().label("sessions"))
        .where(c.heads.op("&")(heads) != 0, *view_filters, *within(c.started_at, period), stored)
        .group_by(*columns)
    )
    branches = [sessions_per_day(keys, filters, period).where(~stored)]
    if not view_filters and period.time_zone == DEFAULT_TIME_ZONE:
        # Each session has one local day in the default zone: its per-day counts add up over any days.
        summed = literal_column(fresh(SESSION_DAY_TOTALS, SESSION_CAPTURES), Boolean)
        t = DAY_TOTALS.c
        totals_columns = [*(t[name] for name in utm), *([t.day] if timed else [])]
        branches.append(
            select(*totals_columns, cast(func.sum(t.sessions), BigInteger).label("sessions"))
            .where(t.heads.op("&")(heads) != 0, *days_within(t.day, period), summed)
            .group_by(*totals_columns)
        )
        rows = rows.where(~summed)
    per_day = union_all(rows, *branches).subquery("per_day")
    return counted_sessions(
        per_day, keys, literal_column(refreshed_at([SESSION_CAPTURES], False)).label("refreshed_at")
    )


def days_within(day: Any, period: Period) -> list[ColumnElement[bool]]:
    """The period's days, on a column of local days in its zone."""
    return [
        *([] if period.start is None else [day >= period.start]),
        *([] if period.end is None else [day < period.end]),
    ]
