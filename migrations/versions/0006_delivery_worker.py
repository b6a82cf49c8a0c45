"""Delivery worker: outbox leases and final states, attempt durations, webhook scheduling.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYNC_STATUS = """jsonb_typeof(sync_status) = 'object'
    AND NOT jsonb_path_exists(sync_status, '$.keyvalue() ? (
          !(@.key == "google_ads" || @.key == "meta" || @.key == "linkedin" || @.key == "tiktok")
       || @.value.type() != "string"
       || !(@.value == "pending" || @.value == "success" || @.value == "failed" || @.value == "not_applicable"{more}))')"""


def upgrade() -> None:
    sync_status = SYNC_STATUS.format(more=' || @.value == "expired" || @.value == "not_configured"')
    run_script(f"""
ALTER TABLE conversion_outbox DROP CONSTRAINT conversion_outbox_status_check;
ALTER TABLE conversion_outbox ADD CONSTRAINT conversion_outbox_status_check
    CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'expired', 'not_configured'));
ALTER TABLE conversion_outbox
    ADD COLUMN claim_token      uuid,          -- the claim whose worker may write the row's outcome
    ADD COLUMN lease_expires_at timestamptz;   -- a 'delivering' row past it is claimed again
DROP INDEX idx_conversion_outbox_due;
CREATE INDEX idx_conversion_outbox_due ON conversion_outbox (platform, next_attempt_at)
    WHERE status IN ('pending', 'failed');
CREATE INDEX idx_conversion_outbox_leased ON conversion_outbox (platform, lease_expires_at)
    WHERE status = 'delivering';
CREATE INDEX idx_conversion_outbox_status ON conversion_outbox (status, id);

ALTER TABLE offline_conversions DROP CONSTRAINT offline_conversions_sync_status_check;
ALTER TABLE offline_conversions ADD CONSTRAINT offline_conversions_sync_status_check CHECK ({sync_status});

ALTER TABLE platform_sync_log
    ADD COLUMN outbox_id   bigint REFERENCES conversion_outbox ON DELETE SET NULL,
    ADD COLUMN duration_ms integer CHECK (duration_ms >= 0);
CREATE INDEX idx_platform_sync_log_outbox ON platform_sync_log (outbox_id, created_at);
CREATE INDEX idx_platform_sync_log_created ON platform_sync_log (created_at, sync_id);

-- A pending row without next_attempt_at is due now; a failed one without it is final; 'infinity' parks.
ALTER TABLE integrations_log
    ADD COLUMN next_attempt_at  timestamptz,
    ADD COLUMN claim_token      uuid,
    ADD COLUMN lease_expires_at timestamptz;
CREATE INDEX idx_integrations_log_due ON integrations_log (next_attempt_at)
    WHERE integration_type = 'webhook' AND status <> 'success';
CREATE INDEX idx_integrations_log_created ON integrations_log (created_at, log_id);
""")


def downgrade() -> None:
    run_script(f"""
DROP INDEX idx_integrations_log_created;
DROP INDEX idx_integrations_log_due;
ALTER TABLE integrations_log DROP COLUMN next_attempt_at, DROP COLUMN claim_token, DROP COLUMN lease_expires_at;
DROP INDEX idx_platform_sync_log_created;
ALTER TABLE platform_sync_log DROP COLUMN outbox_id, DROP COLUMN duration_ms;
UPDATE offline_conversions SET sync_status = (
    SELECT jsonb_object_agg(key, CASE WHEN value #>> '{{}}' IN ('expired', 'not_configured')
                                      THEN '"failed"'::jsonb ELSE value END)
    FROM jsonb_each(sync_status))
WHERE sync_status::text LIKE '%expired%' OR sync_status::text LIKE '%not_configured%';
ALTER TABLE offline_conversions DROP CONSTRAINT offline_conversions_sync_status_check;
ALTER TABLE offline_conversions ADD CONSTRAINT offline_conversions_sync_status_check
    CHECK ({SYNC_STATUS.format(more="")});
DROP INDEX idx_conversion_outbox_status;
DROP INDEX idx_conversion_outbox_leased;
DROP INDEX idx_conversion_outbox_due;
CREATE INDEX idx_conversion_outbox_due ON conversion_outbox (status, next_attempt_at)
    WHERE status IN ('pending', 'failed');
ALTER TABLE conversion_outbox DROP COLUMN claim_token, DROP COLUMN lease_expires_at;
UPDATE conversion_outbox SET status = 'failed' WHERE status IN ('expired', 'not_configured');
ALTER TABLE conversion_outbox DROP CONSTRAINT conversion_outbox_status_check;
ALTER TABLE conversion_outbox ADD CONSTRAINT conversion_outbox_status_check
    CHECK (status IN ('pending', 'delivering', 'delivered', 'failed'));
""")
