"""sessionTotals' views: each session per distinct UTM keys of its captures, and their per-day totals.

Revision ID: 0026
Revises: 0025
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script
from resolvers.analytics.materialized import SESSION_CAPTURES, SESSION_DAY_TOTALS

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Unrefreshed (no row in analytics_refreshes): sessionTotals reads the tables until the next refresh.
    run_script(SESSION_CAPTURES.create() + SESSION_DAY_TOTALS.create())


def downgrade() -> None:
    run_script(f"DROP MATERIALIZED VIEW {SESSION_DAY_TOTALS.name};\nDROP MATERIALIZED VIEW {SESSION_CAPTURES.name};")
