"""Materialized views for the analytics reports that read whole tables, and when each was refreshed.

Each view keeps one row per (group, member) with the instants of its facts, so a report counts distinct
members by counting rows, over a period of local days in any time zone. Created with data (instant on an
empty database) but unrefreshed: reports read the tables live until `rastro refresh-analytics` (or
`rastro seed`) records a refresh in analytics_refreshes.

The definitions are those of resolvers/analytics/materialized.py, which reports also read live: one text,
so a view and its live equivalent cannot differ. Changing one needs a migration that recreates its view.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script
from resolvers.analytics.materialized import FUNNEL_SESSIONS, VARIANT_VISITORS

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
-- Whether a page was viewed in a period (the funnel's leads) without reading all its views.
CREATE INDEX idx_page_views_page_created ON page_views (page_id, created_at);
""")
    run_script(VARIANT_VISITORS.create())
    run_script(FUNNEL_SESSIONS.create())


def downgrade() -> None:
    run_script(f"""
DROP MATERIALIZED VIEW {FUNNEL_SESSIONS.name};
DROP MATERIALIZED VIEW {VARIANT_VISITORS.name};
DROP INDEX idx_page_views_page_created;
DROP TABLE analytics_refreshes;
""")
