"""Doc 000, query 1: campaign performance with offline conversions, per UTM campaign, source and medium."""

from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, where


def campaign_performance(scope: Scope, source: str | None, medium: str | None) -> tuple[str, Statement]:
    s = Statement()
    clauses = [
        *s.within("ut.created_at", scope.period),
        *s.equal("ut.utm_source", source),
        *s.equal("ut.utm_medium", medium),
        *s.equal("s.domain_id", scope.domain_id),
    ]
    # The example joins sessions only to require one; utm_tracking.session_id is a NOT NULL foreign key.
    sessions = "" if scope.domain_id is None else "JOIN sessions s ON s.session_id = ut.session_id"
    sql = f"""
SELECT ut.utm_campaign, ut.utm_source, ut.utm_medium,
       count(DISTINCT ut.session_id) AS total_sessions,
       count(DISTINCT l.lead_id) AS total_leads,
       count(DISTINCT oc.conversion_id) AS total_sales,
       sum(oc.conversion_value) AS total_revenue,
       avg(l.time_to_conversion) AS avg_time_to_conversion
FROM utm_tracking ut
{sessions}
LEFT JOIN leads l ON l.utm_tracking_id = ut.tracking_id
LEFT JOIN offline_conversions oc ON oc.lead_id = l.lead_id
{where(clauses)}
GROUP BY ut.utm_campaign, ut.utm_source, ut.utm_medium
ORDER BY total_revenue DESC NULLS LAST, total_sessions DESC, ut.utm_campaign, ut.utm_source, ut.utm_medium
"""
    return sql, s
