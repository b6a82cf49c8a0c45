"""Doc 000, query 4: ROI per channel with offline conversions, against the real spend of marketing_costs."""

from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, where


def channel_roi(scope: Scope) -> tuple[str, Statement]:
    s = Statement()
    sessions = [*s.within("s.created_at", scope.period), *s.equal("s.domain_id", scope.domain_id)]
    # marketing_costs has no domain: with a domain given, spend cannot be told apart, so cost is null.
    cost = "NULL::numeric" if scope.domain_id is not None else "coalesce(c.cost, 0)"
    sql = f"""
WITH channel_data AS (
  SELECT coalesce(ut.utm_source, 'direct') AS channel, ut.utm_source, ut.utm_medium,
         count(DISTINCT ut.session_id) AS sessions,
         count(DISTINCT l.lead_id) AS leads,
         count(DISTINCT oc.conversion_id) AS sales,
         coalesce(sum(oc.conversion_value), 0) AS revenue
  FROM sessions s
  LEFT JOIN utm_tracking ut ON ut.session_id = s.session_id
  LEFT JOIN leads l ON l.session_id = s.session_id
  LEFT JOIN offline_conversions oc ON oc.lead_id = l.lead_id
  {where(sessions)}
  GROUP BY channel, ut.utm_source, ut.utm_medium
), spend AS (
  SELECT mc.source, mc.medium, sum(mc.cost) AS cost
  FROM marketing_costs mc
  {where(s.days_within("mc.cost_date", scope.period))}
  GROUP BY mc.source, mc.medium
), priced AS (
  SELECT d.*, {cost} AS cost
  FROM channel_data d
  LEFT JOIN spend c ON c.source = d.utm_source AND c.medium = d.utm_medium
  WHERE d.sessions > 0
)
SELECT channel, utm_source, utm_medium, sessions, leads, sales, revenue, cost,
       round(revenue - cost, 2) AS profit,
       round((revenue - cost) / nullif(cost, 0) * 100, 2) AS roi_percentage
FROM priced
ORDER BY profit DESC NULLS LAST, revenue DESC, channel, utm_source, utm_medium
"""
    return sql, s
