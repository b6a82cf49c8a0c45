"""offline_conversions.sync_status may say 'canceled': the conversion's lead was erased (LGPD), never sent.

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence
from importlib import import_module

from migrations.raw_sql import run_script

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The check as 0006 wrote it, with the states since added after not_applicable.
SYNC_STATUS = import_module("migrations.versions.0006_delivery_worker").SYNC_STATUS
SINCE_0006 = ' || @.value == "expired" || @.value == "not_configured"'


def upgrade() -> None:
    run_script(f"""
ALTER TABLE offline_conversions DROP CONSTRAINT offline_conversions_sync_status_check;
ALTER TABLE offline_conversions ADD CONSTRAINT offline_conversions_sync_status_check
    CHECK ({SYNC_STATUS.format(more=SINCE_0006 + ' || @.value == "canceled"')});
""")


def downgrade() -> None:
    run_script(f"""
UPDATE offline_conversions SET sync_status = (
    SELECT jsonb_object_agg(key, CASE WHEN value = '"canceled"' THEN '"expired"'::jsonb ELSE value END)
    FROM jsonb_each(sync_status))
WHERE sync_status::text LIKE '%canceled%';
ALTER TABLE offline_conversions DROP CONSTRAINT offline_conversions_sync_status_check;
ALTER TABLE offline_conversions ADD CONSTRAINT offline_conversions_sync_status_check
    CHECK ({SYNC_STATUS.format(more=SINCE_0006)});
""")
