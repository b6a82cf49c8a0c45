"""A/B tests per landing-page group: each variant's visitors and how many reached the goal, vs the control.

The counts come from one SQL statement; the two-proportion z-test is computed from them here (`compare`),
and in SQL for the compiled read path (`ab_tests`), to the same doubles.
"""

import enum
import math
import uuid
from dataclasses import dataclass
from statistics import NormalDist

from resolvers.analytics.materialized import VARIANT_VISITORS, refreshed_at, source
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, conditions
from resolvers.errors import ArgumentError

DEFAULT_MIN_VISITORS = 100
# The normal approximation needs this many successes and failures in each arm.
MIN_OUTCOMES = 5
Z_95 = NormalDist().inv_cdf(0.975)


class AbGoal(enum.Enum):
    LEAD = "lead"
    SALE = "sale"


class AbVerdict(enum.Enum):
    CONTROL = "control"
    NOT_ENOUGH_DATA = "not_enough_data"
    SIGNIFICANT = "significant"
    NOT_SIGNIFICANT = "not_significant"
    NO_CONTROL = "no_control"


def ab_counts(scope: Scope, ab_test_id: uuid.UUID | None, live: bool) -> tuple[str, Statement]:
    """Per variant: visitors who viewed it in the period, those of them who left a lead on it in the period,
    and those whose lead there became an offline conversion; and when the viewers were last refreshed."""
    s = Statement()
    pages = [*s.equal("lp.ab_test_id", ab_test_id), *s.equal("lp.domain_id", scope.domain_id)]
    sql = f"""
WITH variants AS (
  SELECT lp.page_id, lp.ab_test_id, lp.page_url, lp.page_name, lp.page_variant, lp.is_control
  FROM landing_pages lp
  WHERE lp.ab_test_id IS NOT NULL AND {conditions(pages)}
), seen AS (
  SELECT vv.page_id, vv.domain_id, vv.visitor_id
  FROM variants v
  JOIN {source(VARIANT_VISITORS, live)} vv ON vv.page_id = v.page_id
  WHERE {conditions(s.seen_within("vv", scope.period))}
), reached AS (
  SELECT l.page_id, s.domain_id, s.visitor_id, bool_or(oc.conversion_id IS NOT NULL) AS sold
  FROM variants v
  JOIN leads l ON l.page_id = v.page_id
  JOIN sessions s ON s.session_id = l.session_id
  LEFT JOIN offline_conversions oc ON oc.lead_id = l.lead_id
  WHERE {conditions(s.within("l.created_at", scope.period))}
  GROUP BY l.page_id, s.domain_id, s.visitor_id
)
SELECT v.*,
       coalesce(c.visitors, 0) AS visitors,
       coalesce(c.leads, 0) AS leads,
       coalesce(c.conversions, 0) AS conversions,
       {refreshed_at([VARIANT_VISITORS], live)} AS refreshed_at
FROM variants v
-- Counted per page before the join: joined first, the 42,000 viewers of scale 100 were sorted and merged.
LEFT JOIN (
  SELECT seen.page_id, count(*) AS visitors, count(r.visitor_id) AS leads,
         count(*) FILTER (WHERE r.sold) AS conversions
  FROM seen
  LEFT JOIN reached r ON r.page_id = seen.page_id AND r.domain_id = seen.domain_id
                     AND r.visitor_id = seen.visitor_id
  GROUP BY seen.page_id
) c ON c.page_id = v.page_id
ORDER BY v.ab_test_id, v.is_control DESC, v.page_variant, v.page_id
"""
    return sql, s


def ab_tests(
    scope: Scope, ab_test_id: uuid.UUID | None, goal: AbGoal, min_visitors: int, live: bool
) -> tuple[str, Statement]:
    """`ab_counts` with `compare` in SQL: each value the double Python computes, in the same operations
    (rastro_erfc, migration 0027, is math.erfc); columns named as AbVariant's fields."""
    counts, s = ab_counts(scope, ab_test_id, live)
    successes = "c.leads" if goal is AbGoal.LEAD else "c.conversions"
    minimum, sqrt2, z95 = s.bind(min_visitors), s.bind(math.sqrt(2)), s.bind(Z_95)

    def enough(visitors: str, successes: str) -> str:
        return f"{visitors} >= {minimum} AND least({successes}, {visitors} - {successes}) >= {MIN_OUTCOMES}"

    sql = f"""
SELECT t.ab_test_id, t.page_id, t.page_url, t.page_name, t.page_variant, t.is_control, t.visitors, t.leads,
       t.conversions, t.refreshed_at, t.p1 AS conversion_rate,
       CASE WHEN NOT t.is_control AND t.p2 <> 0 THEN (t.p1 - t.p2) / t.p2 END AS lift,
       CASE WHEN t.is_control THEN 'control' WHEN t.n2 IS NULL THEN 'no_control'
            WHEN NOT t.tested THEN 'not_enough_data' WHEN t.p_value < 0.05 THEN 'significant'
            ELSE 'not_significant' END AS verdict,
       t.p_value, t.difference, t.difference - t.margin AS ci_low, t.difference + t.margin AS ci_high
FROM (
  SELECT a.*,
         CASE WHEN a.tested THEN rastro_erfc(abs((a.p1 - a.p2) / sqrt(a.pooled * (1 - a.pooled)
           * (1 / a.visitors::float8 + 1 / a.n2::float8))) / {sqrt2}) END AS p_value,
         CASE WHEN a.tested THEN {z95} * sqrt(
           a.p1 * (1 - a.p1) / a.visitors::float8 + a.p2 * (1 - a.p2) / a.n2::float8) END AS margin,
         CASE WHEN a.tested THEN a.p1 - a.p2 END AS difference
  FROM (
    SELECT w.*,
           NOT w.is_control AND {enough("w.visitors", "w.k")} AND {enough("w.n2", "w.k2")} AS tested,
           (w.k + w.k2)::float8 / nullif(w.visitors + w.n2, 0)::float8 AS pooled,
           w.k2::float8 / nullif(w.n2, 0)::float8 AS p2
    FROM (
      SELECT c.*, {successes} AS k, {successes}::float8 / nullif(c.visitors, 0)::float8 AS p1,
             max(c.visitors) FILTER (WHERE c.is_control) OVER test AS n2,
             max({successes}) FILTER (WHERE c.is_control) OVER test AS k2
      FROM ({counts}) c
      WINDOW test AS (PARTITION BY c.ab_test_id)
    ) w
    -- OFFSET 0: the values below are computed once per row, not once per reference above.
  ) a OFFSET 0
) t
ORDER BY t.ab_test_id, t.is_control DESC, t.page_variant, t.page_id
"""
    return sql, s


@dataclass(frozen=True)
class Arm:
    visitors: int
    successes: int

    @property
    def rate(self) -> float | None:
        return self.successes / self.visitors if self.visitors else None

    def enough(self, min_visitors: int) -> bool:
        failures = self.visitors - self.successes
        return self.visitors >= min_visitors and min(self.successes, failures) >= MIN_OUTCOMES


@dataclass(frozen=True)
class Comparison:
    """A variant against the control: lift, two-sided p-value and 95% interval of the rate difference."""

    verdict: AbVerdict
    lift: float | None = None
    p_value: float | None = None
    difference: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


def compare(variant: Arm, control: Arm | None, is_control: bool, min_visitors: int) -> Comparison:
    if is_control:
        return Comparison(AbVerdict.CONTROL)
    if control is None:
        return Comparison(AbVerdict.NO_CONTROL)
    lift = None
    if variant.rate is not None and control.rate:
        lift = (variant.rate - control.rate) / control.rate
    if not (variant.enough(min_visitors) and control.enough(min_visitors)):
        return Comparison(AbVerdict.NOT_ENOUGH_DATA, lift=lift)
    p1, n1, p2, n2 = variant.rate or 0.0, variant.visitors, control.rate or 0.0, control.visitors
    pooled = (variant.successes + control.successes) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = math.erfc(abs(z) / math.sqrt(2))
    margin = Z_95 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return Comparison(
        AbVerdict.SIGNIFICANT if p_value < 0.05 else AbVerdict.NOT_SIGNIFICANT,
        lift=lift,
        p_value=p_value,
        difference=p1 - p2,
        ci_low=p1 - p2 - margin,
        ci_high=p1 - p2 + margin,
    )


def checked_min_visitors(value: int) -> int:
    if value < 1:
        raise ArgumentError("minVisitors", f"must be at least 1: {value}")
    return value
