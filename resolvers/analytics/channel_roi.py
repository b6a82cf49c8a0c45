"""Doc 000, query 4: ROI per channel with offline conversions, against the real spend of marketing_costs.

Read from analytics_channel_sessions (one row per session and capture source and medium, with the
session's outcomes): sessions without a capture are left out, as the example's `sessions > 0` does.
"""

from resolvers.analytics.materialized import CHANNEL_SESSIONS, refreshed_at, source
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, where


def channel_roi(scope: Scope, live: bool) -> tuple[str, Statement]:
    s = Statement()
    sessions = [*s.within("cs.created_at", scope.period), *s.equal("cs.domain_id", scope.domain_id)]
    # marketing_costs has no domain: with a domain given, spend cannot be told apart, so cost is null.
    cost = "NULL::numeric" if scope.domain_id is not None else "coalesce(c.cost, 0)"
    sql = f"""
WITH channel_data AS (
  SELECT coalesce(cs.utm_source, 'direct') AS channel, cs.utm_source, cs.utm_medium,
         count(*) AS sessions, sum(cs.leads)::bigint AS leads, sum(cs.sales)::bigint AS sales,
         coalesce(sum(cs.revenue), 0) AS revenue
  FROM {source(CHANNEL_SESSIONS, live)} cs
  {where(sessions)}
  GROUP BY channel, cs.utm_source, cs.utm_medium
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
       {refreshed_at([CHANNEL_SESSIONS], live)} AS refreshed_at,
       round(revenue - cost, 2) AS profit,
       round((revenue - cost) / nullif(cost, 0) * 100, 2) AS roi_percentage
FROM priced
ORDER BY profit DESC NULLS LAST, revenue DESC, channel, utm_source, utm_medium
"""
    return sql, s
