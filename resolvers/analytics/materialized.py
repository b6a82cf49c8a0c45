"""The materialized views of the reports (migration 0012): what each holds, and how a report reads one.

A report reads a view once `rastro refresh-analytics` (or `rastro seed`) has refreshed it, and its
definition over the tables otherwise (never refreshed, or `live: true`). Both choices are in the one
statement: PostgreSQL skips the branch that a one-time filter rules out.
"""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    """A materialized view: its name and its definition, which is also its live equivalent."""

    name: str
    definition: str


# Every view keeps, per member, the instants of its facts: `first_at`, `last_at` and `instants`.
VARIANT_VISITORS = View(
    "analytics_variant_visitors",
    """
SELECT pv.page_id, s.domain_id, s.visitor_id,
       min(pv.created_at) AS first_at, max(pv.created_at) AS last_at,
       array_agg(DISTINCT pv.created_at ORDER BY pv.created_at) AS instants
FROM page_views pv
JOIN landing_pages lp ON lp.page_id = pv.page_id AND lp.ab_test_id IS NOT NULL
JOIN sessions s ON s.session_id = pv.session_id
GROUP BY pv.page_id, s.domain_id, s.visitor_id""",
)
# Per active page name and variant, of one domain and of all (domain_id null): each session that viewed
# it, and the instants of its views of a page whose form it started (`form_first_at`...).
FUNNEL_SESSIONS = View(
    "analytics_funnel_sessions",
    """
SELECT f.domain_id, f.page_name, f.page_variant, f.session_id,
       min(f.created_at) AS first_at, max(f.created_at) AS last_at,
       array_agg(DISTINCT f.created_at ORDER BY f.created_at) AS instants,
       min(f.created_at) FILTER (WHERE f.form_started) AS form_first_at,
       max(f.created_at) FILTER (WHERE f.form_started) AS form_last_at,
       array_agg(DISTINCT f.created_at ORDER BY f.created_at) FILTER (WHERE f.form_started) AS form_instants
FROM (
  SELECT lp.domain_id, lp.page_name, lp.page_variant, pv.session_id, pv.created_at,
         fs.page_id IS NOT NULL AS form_started
  FROM page_views pv
  JOIN landing_pages lp ON lp.page_id = pv.page_id AND lp.is_active
  LEFT JOIN (SELECT DISTINCT e.page_id, e.session_id FROM events e WHERE e.event_type = 'form_start') fs
    ON fs.page_id = pv.page_id AND fs.session_id = pv.session_id
) f
GROUP BY GROUPING SETS ((f.page_name, f.page_variant, f.session_id),
                        (f.domain_id, f.page_name, f.page_variant, f.session_id))""",
)
VIEWS = (VARIANT_VISITORS, FUNNEL_SESSIONS)


def _refreshed(view: View) -> str:
    return f"EXISTS (SELECT FROM analytics_refreshes WHERE view_name = '{view.name}')"


def source(view: View, live: bool) -> str:
    """The view's rows as a FROM item: the view once refreshed, its definition before that or when live."""
    if live:
        return f"({view.definition})"
    return f"""(SELECT * FROM {view.name} WHERE {_refreshed(view)}
   UNION ALL
   SELECT * FROM ({view.definition}) d WHERE NOT {_refreshed(view)})"""


def refreshed_at(views: Sequence[View], live: bool) -> str:
    """The instant of the oldest refresh of `views`; null when one was never refreshed or when live."""
    if live:
        return "NULL::timestamptz"
    names = ", ".join(f"'{v.name}'" for v in views)
    return (
        f"(SELECT CASE WHEN count(*) = {len(views)} THEN min(refreshed_at) END "
        f"FROM analytics_refreshes WHERE view_name IN ({names}))"
    )
