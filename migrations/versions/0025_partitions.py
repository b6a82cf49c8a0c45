"""The high-volume append tables are partitioned by month on created_at (issue 14, item 4).

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

from migrations.partitioning import ENSURE_PARTITIONS, partition, unpartition
from migrations.raw_sql import run_script

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# utm_tracking stays whole: leads and offline_conversions reference its tracking_id (docs/decisions/partitioning.md).
TABLES = ("page_views", "events", "integrations_log", "platform_sync_log", "platform_transaction_payment_history")


def upgrade() -> None:
    run_script(ENSURE_PARTITIONS)
    for table in TABLES:
        partition(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        unpartition(table)
    run_script("DROP FUNCTION rastro_ensure_partitions;")
