"""Attribution models: each conversion's value shared among the touchpoints that came before it.

Conversions are offline conversions (reached through their lead) and approved checkout purchases (reached
through the leads sharing the buyer's e-mail hash). Touchpoints are the sessions of those leads' visitors
within the lookback window before the conversion: a session's UTM capture, or a direct touch when the
session has none. Credits are cumulative shares rounded once and differenced, so each conversion's credits
add up exactly to its value, whatever the model.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from resolvers.analytics.credits import DEFAULT_HALF_LIFE_DAYS as DEFAULT_HALF_LIFE_DAYS
from resolvers.analytics.credits import DEFAULT_LOOKBACK_DAYS as DEFAULT_LOOKBACK_DAYS
from resolvers.analytics.credits import credited
from resolvers.analytics.materialized import (
    CONVERSION_TOUCHES,
    DEFAULT_CREDITS,
    refreshed_at,
    source,
    summarized,
)
from resolvers.analytics.period import Period
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, conditions
from resolvers.errors import ArgumentError

# analytics_conversion_touches (materialized.py) keeps touchpoints up to this many days: change both.
MAX_LOOKBACK_DAYS = 365


class AttributionModel(enum.Enum):
    FIRST_TOUCH = "first_touch"
    LAST_TOUCH = "last_touch"
    LAST_NON_DIRECT = "last_non_direct"
    LINEAR = "linear"
    TIME_DECAY = "time_decay"
    POSITION_BASED = "position_based"


class AttributionGroup(enum.Enum):
    SOURCE = "utm_source"
    MEDIUM = "utm_medium"
    CAMPAIGN = "utm_campaign"
    CONTENT = "utm_content"
    LANDING_PAGE = "page_id"


class ConversionKind(enum.Enum):
    OFFLINE = "offline"
    CHECKOUT = "checkout"


@dataclass(frozen=True)
class Window:
    """How far back touchpoints count, and the half-life of the time-decay model."""

    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS

    def __post_init__(self) -> None:
        if not 1 <= self.lookback_days <= MAX_LOOKBACK_DAYS:
            raise ArgumentError(
                "lookbackDays", f"must be from 1 to {MAX_LOOKBACK_DAYS} days: {self.lookback_days}"
            )
        if not 0 < self.half_life_days <= MAX_LOOKBACK_DAYS:
            raise ArgumentError(
                "halfLifeDays",
                f"must be more than 0 and at most {MAX_LOOKBACK_DAYS} days: {self.half_life_days}",
            )


def _touches(
    s: Statement, scope: Scope, window: Window, kinds: Sequence[ConversionKind], key: str, live: bool
) -> str:
    """The CTEs `scoped` (the conversions of the period, kinds and domain) and `touches` (their touchpoints
    in the lookback window, with their group `key` and whether direct), from the conversions' view."""
    chosen = ", ".join(s.bind(kind.value) for kind in kinds)
    conversions = [*s.within("ct.converted_at", scope.period), f"ct.kind IN ({chosen})"]
    domain = [] if scope.domain_id is None else [f"ct.domain_id = {s.bind(scope.domain_id)}"]
    scoped = [] if scope.domain_id is None else [f"{s.bind(scope.domain_id)} = ANY(ct.domains)"]
    return f"""conversions AS NOT MATERIALIZED (
  SELECT * FROM {source(CONVERSION_TOUCHES, live)} ct WHERE {conditions(conversions)}
), scoped AS (
  SELECT ct.conversion_id, ct.value FROM conversions ct WHERE {conditions(["ct.head", *scoped])}
), touches AS (
  -- Only the columns the windows need: narrow rows sort faster.
  SELECT ct.conversion_id, ct.value, ct.converted_at, ct.touched_at, ct.session_id, ct.tracking_id,
         ct.utm_source IS NULL AS direct, {key} AS key
  FROM conversions ct
  WHERE {
        conditions(
            [
                "ct.session_id IS NOT NULL",
                *domain,
                f"ct.touched_at > ct.converted_at - make_interval(days => {s.bind(window.lookback_days)})",
            ]
        )
    }
)"""


def _credits(
    s: Statement,
    scope: Scope,
    window: Window,
    kinds: Sequence[ConversionKind],
    live: bool,
    group: str,
    columns: str,
) -> str:
    """The CTEs `credits` (each touch's group key and credits) and `outcomes` (each conversion's value and
    whether it was attributed): from analytics_default_credits when they answer, else computed."""
    computed = "SELECT value, conversion_id IN (SELECT conversion_id FROM touches) AS attributed FROM scoped"
    if live or scope.domain_id is not None or window != Window():
        return f"credits AS (SELECT * FROM credited), outcomes AS ({computed})"
    fresh = summarized(DEFAULT_CREDITS, CONVERSION_TOUCHES, s, Period())
    chosen = ", ".join(s.bind(kind.value) for kind in kinds)
    read = conditions([fresh, *s.within("dc.converted_at", scope.period), f"dc.kind IN ({chosen})"])
    return f"""credits AS (
  SELECT dc.{group} AS key, {columns}
  FROM {DEFAULT_CREDITS.name} dc WHERE dc.session_id IS NOT NULL AND {read}
  UNION ALL
  SELECT key, {columns} FROM credited WHERE NOT {fresh}
), outcomes AS (
  SELECT dc.value, dc.attributed
  FROM {DEFAULT_CREDITS.name} dc WHERE dc.session_id IS NULL AND {read}
  UNION ALL
  {computed} WHERE NOT {fresh}
)"""


def attribution(
    scope: Scope,
    models: Sequence[AttributionModel],
    group: AttributionGroup,
    window: Window,
    kinds: Sequence[ConversionKind],
    live: bool,
) -> tuple[str, Statement]:
    """One row per group with `<model>_conversions` and `<model>_revenue` per model, then one totals row;
    each with the refresh instant of the conversions' view."""
    if not kinds:
        raise ArgumentError("conversions", "needs at least one kind")
    s = Statement()
    half_life = s.bind(window.half_life_days)
    column = "page_id::text" if group is AttributionGroup.LANDING_PAGE else group.value
    credits = ", ".join(f"{m.value}_revenue, {m.value}_conversions" for m in models)
    sums = ",\n       ".join(
        f"sum({m.value}_conversions)::float8 AS {m.value}_conversions, "
        f"sum({m.value}_revenue) AS {m.value}_revenue"
        for m in models
    )
    nulls = ",\n       ".join("NULL::float8, NULL::numeric" for _ in models)
    pages = "lp.page_id::text = c.key" if group is AttributionGroup.LANDING_PAGE else "FALSE"
    refreshed = refreshed_at([CONVERSION_TOUCHES], live)
    sql = f"""
WITH {_touches(s, scope, window, kinds, f"ct.{column}", live)},
{credited([m.value for m in models], half_life, "key")},
{_credits(s, scope, window, kinds, live, column, credits)}
SELECT false AS total, c.key, lp.page_url, lp.page_name, lp.page_variant,
       {sums},
       NULL::bigint AS conversions, NULL::numeric AS revenue,
       NULL::bigint AS attributed_conversions, NULL::numeric AS attributed_revenue,
       {refreshed} AS refreshed_at
FROM credits c
LEFT JOIN landing_pages lp ON {pages}
GROUP BY c.key, lp.page_url, lp.page_name, lp.page_variant
UNION ALL
SELECT true, NULL, NULL, NULL, NULL,
       {nulls},
       count(*), coalesce(sum(value), 0),
       count(*) FILTER (WHERE attributed), coalesce(sum(value) FILTER (WHERE attributed), 0),
       {refreshed}
FROM outcomes
ORDER BY 1, {models[0].value}_revenue DESC NULLS LAST, 2 NULLS LAST
"""
    return sql, s
