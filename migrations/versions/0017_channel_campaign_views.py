"""The views of channelRoi and campaignPerformance (see 0012).

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script
from resolvers.analytics.materialized import CAPTURE_OUTCOMES, CHANNEL_SESSIONS

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script(CHANNEL_SESSIONS.create())
    run_script(CAPTURE_OUTCOMES.create())


def downgrade() -> None:
    run_script(f"DROP MATERIALIZED VIEW {CAPTURE_OUTCOMES.name};\nDROP MATERIALIZED VIEW {CHANNEL_SESSIONS.name};")
