"""The attribution reports' view: conversions and the touchpoints of their visitors (see 0012).

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script
from resolvers.analytics.materialized import CONVERSION_TOUCHES

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script(CONVERSION_TOUCHES.create())


def downgrade() -> None:
    run_script(f"DROP MATERIALIZED VIEW {CONVERSION_TOUCHES.name};")
