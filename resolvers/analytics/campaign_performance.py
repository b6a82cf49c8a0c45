"""Doc 000, query 1: campaign performance with offline conversions, per UTM campaign, source and medium.

Read from analytics_capture_outcomes (one row per capture with its leads' outcomes): the example's
distinct leads and sales add up per capture, its average time to conversion is the captures' sum over
their count, as avg() computes it.
"""

from resolvers.analytics.materialized import CAPTURE_OUTCOMES, refreshed_at, source
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, where


def campaign_performance(
    scope: Scope, utm_source: str | None, medium: str | None, live: bool
) -> tuple[str, Statement]:
    s = Statement()
    clauses = [
        *s.within("co.created_at", scope.period),
        *s.equal("co.utm_source", utm_source),
        *s.equal("co.utm_medium", medium),
        *s.equal("co.domain_id", scope.domain_id),
    ]
    sql = f"""
SELECT co.utm_campaign, co.utm_source, co.utm_medium,
       count(DISTINCT co.session_id) AS total_sessions,
       sum(co.leads)::bigint AS total_leads,
       sum(co.sales)::bigint AS total_sales,
       sum(co.revenue) AS total_revenue,
       sum(co.conversion_seconds)::numeric / nullif(sum(co.timed), 0) AS avg_time_to_conversion,
       {refreshed_at([CAPTURE_OUTCOMES], live)} AS refreshed_at
FROM {source(CAPTURE_OUTCOMES, live)} co
{where(clauses)}
GROUP BY co.utm_campaign, co.utm_source, co.utm_medium
ORDER BY total_revenue DESC NULLS LAST, total_sessions DESC, co.utm_campaign, co.utm_source, co.utm_medium
"""
    return sql, s
