"""The default window's attribution credits, per touch and model (issue 13, point 7).

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script
from resolvers.analytics.materialized import DEFAULT_CREDITS

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Unrefreshed (no row in analytics_refreshes): the reports compute credits until the next refresh.
    run_script(DEFAULT_CREDITS.create())


def downgrade() -> None:
    run_script(f"DROP MATERIALIZED VIEW {DEFAULT_CREDITS.name};")
