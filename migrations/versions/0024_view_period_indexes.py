"""An index on the funnel's view for periods shorter than the data (issue 13, point 7).

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script
from resolvers.analytics.materialized import FUNNEL_SESSIONS

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = (FUNNEL_SESSIONS,)


def upgrade() -> None:
    # IF NOT EXISTS: a database migrated from scratch got them with the views (View.create).
    run_script("".join(view.indexes() for view in VIEWS))


def downgrade() -> None:
    run_script(
        "".join(f"DROP INDEX IF EXISTS {view.name}_{column};\n" for view in VIEWS for column in view.indexed)
    )
