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

from resolvers.analytics.materialized import CONVERSION_TOUCHES, refreshed_at, source
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, conditions
from resolvers.errors import ArgumentError

DEFAULT_LOOKBACK_DAYS = 30
DEFAULT_HALF_LIFE_DAYS = 7.0
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


# The models crediting one touch with the whole conversion: that touch's credits are the value and 1, as
# the rounded cumulative shares below would make them (values have at most 4 decimals), at less cost.
WHOLE = {
    AttributionModel.FIRST_TOUCH: "position = 1",
    AttributionModel.LAST_TOUCH: "position = touches",
    AttributionModel.LAST_NON_DIRECT: "non_direct_rank = 1",
}
# The other models' share of one conversion for the touch at `position` of `touches` (ordered by time).
SHARES = {
    AttributionModel.LINEAR: "1::numeric / touches",
    AttributionModel.TIME_DECAY: "(decay / sum(decay) OVER (PARTITION BY conversion_id))::numeric",
    AttributionModel.POSITION_BASED: """CASE WHEN touches = 1 THEN 1::numeric
             WHEN touches = 2 THEN 0.5
             WHEN position = 1 OR position = touches THEN 0.4
             ELSE 0.2 / (touches - 2) END""",
}


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
    key = "ct.page_id::text" if group is AttributionGroup.LANDING_PAGE else f"ct.{group.value}"
    shared = [m for m in models if m in SHARES]
    shares = "".join(f",\n         {SHARES[m]} AS {m.value}_share" for m in shared)
    cumulative = "".join(
        f",\n         sum({m.value}_share) OVER (PARTITION BY conversion_id ORDER BY position)"
        f" AS {m.value}_cumulative"
        for m in shared
    )
    credits = ",\n         ".join(
        f"""round(CASE WHEN {WHOLE[m]} THEN value ELSE 0 END, 4) AS {m.value}_revenue,
         CASE WHEN {WHOLE[m]} THEN 1 ELSE 0 END AS {m.value}_conversions"""
        if m in WHOLE
        else f"""CASE WHEN position = touches THEN value ELSE round(value * {m.value}_cumulative, 4) END
           - CASE WHEN position = 1 THEN 0 ELSE round(value * ({m.value}_cumulative - {m.value}_share), 4) END
           AS {m.value}_revenue,
         CASE WHEN position = touches THEN 1 ELSE round({m.value}_cumulative, 6) END
           - CASE WHEN position = 1 THEN 0 ELSE round({m.value}_cumulative - {m.value}_share, 6) END
           AS {m.value}_conversions"""
        for m in models
    )
    sums = ",\n       ".join(
        f"sum({m.value}_conversions)::float8 AS {m.value}_conversions, "
        f"sum({m.value}_revenue) AS {m.value}_revenue"
        for m in models
    )
    nulls = ",\n       ".join("NULL::float8, NULL::numeric" for _ in models)
    pages = "lp.page_id::text = c.key" if group is AttributionGroup.LANDING_PAGE else "FALSE"
    refreshed = refreshed_at([CONVERSION_TOUCHES], live)
    sql = f"""
WITH {_touches(s, scope, window, kinds, key, live)}, ordered AS (
  SELECT t.*,
         row_number() OVER (PARTITION BY conversion_id ORDER BY touched_at, session_id, tracking_id)
           AS position,
         count(*) OVER (PARTITION BY conversion_id) AS touches,
         -- The latest touch with a UTM source; the latest direct one when there is none.
         row_number() OVER (PARTITION BY conversion_id
                            ORDER BY direct, touched_at DESC, session_id DESC, tracking_id DESC)
           AS non_direct_rank,
         -- float8: numeric power() cost more than the whole rest of the report.
         power(0.5::float8, extract(epoch FROM converted_at - touched_at)::float8
                            / (86400 * CAST({half_life} AS float8))) AS decay
  FROM touches t
), weighted AS (
  SELECT o.*{shares}
  FROM ordered o
), shared AS (
  SELECT w.*{cumulative}
  FROM weighted w
), credited AS (
  SELECT key,
         {credits}
  FROM shared t
)
SELECT false AS total, c.key, lp.page_url, lp.page_name, lp.page_variant,
       {sums},
       NULL::bigint AS conversions, NULL::numeric AS revenue,
       NULL::bigint AS attributed_conversions, NULL::numeric AS attributed_revenue,
       {refreshed} AS refreshed_at
FROM credited c
LEFT JOIN landing_pages lp ON {pages}
GROUP BY c.key, lp.page_url, lp.page_name, lp.page_variant
UNION ALL
SELECT true, NULL, NULL, NULL, NULL,
       {nulls},
       count(*), coalesce(sum(value), 0),
       count(*) FILTER (WHERE conversion_id IN (SELECT conversion_id FROM touches)),
       coalesce(sum(value) FILTER (WHERE conversion_id IN (SELECT conversion_id FROM touches)), 0),
       {refreshed}
FROM scoped
ORDER BY 1, {models[0].value}_revenue DESC NULLS LAST, 2 NULLS LAST
"""
    return sql, s
