"""landingPageFunnel's view split in two: all domains, and per domain (a scan of both was twice the rows).

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script
from resolvers.analytics.materialized import DOMAIN_FUNNEL_SESSIONS, FUNNEL_SESSIONS

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Until refreshed, the funnel reads the tables: the dropped view's refresh no longer describes it.
    run_script(f"""
DROP MATERIALIZED VIEW {FUNNEL_SESSIONS.name};
DELETE FROM analytics_refreshes WHERE view_name = '{FUNNEL_SESSIONS.name}';
""")
    run_script(FUNNEL_SESSIONS.create())
    run_script(DOMAIN_FUNNEL_SESSIONS.create())


def downgrade() -> None:
    run_script(f"DROP MATERIALIZED VIEW {DOMAIN_FUNNEL_SESSIONS.name};")
