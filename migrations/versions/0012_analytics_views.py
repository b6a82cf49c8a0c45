"""Materialized views for the analytics reports that read whole tables, and when each was refreshed.

Each view keeps one row per (group, member) with the instants of its facts, so a report counts distinct
members by counting rows, over a period of local days in any time zone. Created with data (instant on an
empty database) but unrefreshed: reports read the tables live until `rastro refresh-analytics` (or
`rastro seed`) records a refresh in analytics_refreshes.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
CREATE TABLE analytics_refreshes (
    view_name    text PRIMARY KEY,
    refreshed_at timestamptz NOT NULL,
    seconds      double precision NOT NULL CHECK (seconds >= 0),
    row_count    bigint NOT NULL CHECK (row_count >= 0)
);

-- abTests: the visitors of each A/B variant, with the instants they viewed it.
CREATE MATERIALIZED VIEW analytics_variant_visitors AS
SELECT pv.page_id, s.domain_id, s.visitor_id,
       min(pv.created_at) AS first_at, max(pv.created_at) AS last_at,
       array_agg(DISTINCT pv.created_at ORDER BY pv.created_at) AS instants
FROM page_views pv
JOIN landing_pages lp ON lp.page_id = pv.page_id AND lp.ab_test_id IS NOT NULL
JOIN sessions s ON s.session_id = pv.session_id
GROUP BY pv.page_id, s.domain_id, s.visitor_id;
CREATE UNIQUE INDEX analytics_variant_visitors_key ON analytics_variant_visitors (page_id, domain_id, visitor_id);

-- landingPageFunnel: the sessions that viewed each active page name and variant, of one domain and of all
-- (domain_id null), when, and when they viewed a page whose form they started.
CREATE MATERIALIZED VIEW analytics_funnel_sessions AS
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
                        (f.domain_id, f.page_name, f.page_variant, f.session_id));
CREATE UNIQUE INDEX analytics_funnel_sessions_key ON analytics_funnel_sessions
  (domain_id, page_name, page_variant, session_id) NULLS NOT DISTINCT;

-- Whether a page was viewed in a period (the funnel's leads) without reading all its views.
CREATE INDEX idx_page_views_page_created ON page_views (page_id, created_at);
""")


def downgrade() -> None:
    run_script("""
DROP INDEX idx_page_views_page_created;
DROP MATERIALIZED VIEW analytics_funnel_sessions;
DROP MATERIALIZED VIEW analytics_variant_visitors;
DROP TABLE analytics_refreshes;
""")
