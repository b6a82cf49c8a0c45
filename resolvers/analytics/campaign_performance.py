"""Doc 000, query 1: campaign performance with offline conversions, per UTM campaign, source and medium.

Read from analytics_capture_outcomes (one row per capture with its leads' outcomes): the example's
distinct leads and sales add up per capture, its average time to conversion is the captures' sum over
their count, as avg() computes it. Over a period holding every day of the data, from the per-domain
totals of analytics_campaign_totals instead (a session has one domain, so its count adds up).
"""

from resolvers.analytics.materialized import (
    CAMPAIGN_TOTALS,
    CAPTURE_OUTCOMES,
    refreshed_at,
    source,
    summarized,
)
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, conditions

GROUP = "{a}.utm_campaign, {a}.utm_source, {a}.utm_medium"


def _filters(s: Statement, alias: str, scope: Scope, utm_source: str | None, medium: str | None) -> list[str]:
    return [
        *s.equal(f"{alias}.utm_source", utm_source),
        *s.equal(f"{alias}.utm_medium", medium),
        *s.equal(f"{alias}.domain_id", scope.domain_id),
    ]


def campaign_performance(
    scope: Scope, utm_source: str | None, medium: str | None, live: bool
) -> tuple[str, Statement]:
    s = Statement()
    captures = [*s.within("co.created_at", scope.period), *_filters(s, "co", scope, utm_source, medium)]
    # COLLATE "C": the same distinct ids (the collation is deterministic), compared bytewise.
    counted = f"""SELECT {GROUP.format(a="co")},
         count(DISTINCT co.session_id COLLATE "C") AS total_sessions,
         sum(co.leads)::bigint AS total_leads,
         sum(co.sales)::bigint AS total_sales,
         sum(co.revenue) AS total_revenue,
         sum(co.conversion_seconds)::numeric / nullif(sum(co.timed), 0) AS avg_time_to_conversion
  FROM {source(CAPTURE_OUTCOMES, live)} co"""
    if live:
        rows = f"{counted}\n  WHERE {conditions(captures)}"
    else:
        whole = summarized(CAMPAIGN_TOTALS, CAPTURE_OUTCOMES, s, scope.period)
        totals = [whole, *_filters(s, "ct", scope, utm_source, medium)]
        rows = f"""SELECT {GROUP.format(a="ct")},
         sum(ct.sessions)::bigint AS total_sessions, sum(ct.leads)::bigint AS total_leads,
         sum(ct.sales)::bigint AS total_sales, sum(ct.revenue) AS total_revenue,
         sum(ct.conversion_seconds) / nullif(sum(ct.timed), 0) AS avg_time_to_conversion
  FROM {CAMPAIGN_TOTALS.name} ct
  WHERE {conditions(totals)}
  GROUP BY {GROUP.format(a="ct")}
  UNION ALL
  {counted}
  WHERE {conditions([f"NOT {whole}", *captures])}"""
    sql = f"""
SELECT c.*, {refreshed_at([CAPTURE_OUTCOMES], live)} AS refreshed_at
FROM (
  {rows}
  GROUP BY {GROUP.format(a="co")}
) c
ORDER BY total_revenue DESC NULLS LAST, total_sessions DESC, utm_campaign, utm_source, utm_medium
"""
    return sql, s
