"""Doc 000, query 2: the funnel per landing page (name, variant): visit, lead, qualified, won, sale value.

The example joins page views x events x leads x stages of a page and counts distinct values, a product
that grows with the square of a page's traffic; here each step is counted on its own, with the same
result: visitors and form starts from the sessions of each page name and variant (materialized:
analytics_funnel_sessions, analytics_funnel_domain_sessions for one domain), leads (of pages viewed in
the period) with their stages.
"""

from resolvers.analytics.materialized import (
    DOMAIN_FUNNEL_SESSIONS,
    DOMAIN_FUNNEL_TOTALS,
    FUNNEL_SESSIONS,
    FUNNEL_TOTALS,
    View,
    refreshed_at,
    source,
    summarized,
)
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, conditions, where


def funnel_view(scope: Scope) -> View:
    return FUNNEL_SESSIONS if scope.domain_id is None else DOMAIN_FUNNEL_SESSIONS


def _visits(s: Statement, scope: Scope, live: bool) -> str:
    """Visitors and form starts per page name and variant: the totals when they answer, else the sessions."""
    view = funnel_view(scope)
    # IS NOT NULL first: a false one ends the AND, so sessions without a form start skip the instants.
    started = conditions(["fs.form_first_at IS NOT NULL", *s.seen_within("fs", scope.period, "form_")])
    sessions = [*s.equal("fs.domain_id", scope.domain_id), *s.seen_within("fs", scope.period)]
    counted = f"""SELECT fs.page_name, fs.page_variant, count(*) AS visitors,
         count(*) FILTER (WHERE {started}) AS form_starts
  FROM {source(view, live)} fs"""
    if live:
        return f"{counted}\n  {where(sessions)}\n  GROUP BY fs.page_name, fs.page_variant"
    totals = FUNNEL_TOTALS if scope.domain_id is None else DOMAIN_FUNNEL_TOTALS
    whole = summarized(totals, view, s, scope.period)
    return f"""SELECT ft.page_name, ft.page_variant, ft.visitors, ft.form_starts
  FROM {totals.name} ft WHERE {conditions([whole, *s.equal("ft.domain_id", scope.domain_id)])}
  UNION ALL
  {counted}
  WHERE {conditions([f"NOT {whole}", *sessions])}
  GROUP BY fs.page_name, fs.page_variant"""


def landing_page_funnel(scope: Scope, live: bool) -> tuple[str, Statement]:
    s = Statement()
    pages = ["lp.is_active", *s.equal("lp.domain_id", scope.domain_id)]
    view = funnel_view(scope)
    views = s.within("pv.created_at", scope.period)
    leads = s.within("l.created_at", scope.period)
    sql = f"""
WITH pages AS (
  SELECT lp.page_id, lp.page_name, lp.page_variant FROM landing_pages lp WHERE {conditions(pages)}
), visits AS (
  {_visits(s, scope, live)}
), outcomes AS (
  SELECT p.page_name, p.page_variant,
         count(DISTINCT l.lead_id) AS leads,
         -- IN, not EXISTS: a hashed subplan, where EXISTS was looked up lead by lead.
         count(DISTINCT l.lead_id) FILTER (WHERE l.lead_id IN (
           SELECT ls.lead_id FROM lead_stages ls WHERE ls.stage_name = 'qualified'
         )) AS qualified_leads,
         count(DISTINCT l.lead_id) FILTER (WHERE l.lead_id IN (
           SELECT ls.lead_id FROM lead_stages ls WHERE ls.stage_name = 'won'
         )) AS won_deals,
         sum(oc.conversion_value) AS sale_value
  FROM pages p
  JOIN leads l ON l.page_id = p.page_id
  LEFT JOIN offline_conversions oc ON oc.lead_id = l.lead_id
  WHERE EXISTS (SELECT 1 FROM page_views pv WHERE pv.page_id = p.page_id AND {conditions(views)})
    AND {conditions(leads)}
  GROUP BY p.page_name, p.page_variant
), funnel AS (
  SELECT v.page_name, v.page_variant, v.visitors, v.form_starts,
         coalesce(o.leads, 0) AS leads,
         coalesce(o.qualified_leads, 0) AS qualified_leads,
         coalesce(o.won_deals, 0) AS won_deals,
         coalesce(o.sale_value, 0) AS sale_value
  FROM visits v
  LEFT JOIN outcomes o ON o.page_name IS NOT DISTINCT FROM v.page_name
                      AND o.page_variant IS NOT DISTINCT FROM v.page_variant
)
SELECT *,
       {refreshed_at([view], live)} AS refreshed_at,
       round(100.0 * form_starts / nullif(visitors, 0), 2) AS form_start_rate,
       round(100.0 * leads / nullif(form_starts, 0), 2) AS form_completion_rate,
       round(100.0 * qualified_leads / nullif(leads, 0), 2) AS qualification_rate,
       round(100.0 * won_deals / nullif(qualified_leads, 0), 2) AS close_rate
FROM funnel
ORDER BY visitors DESC, page_name, page_variant
"""
    return sql, s
