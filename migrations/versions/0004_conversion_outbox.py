"""conversion_outbox: what must reach the ad platforms, written with the conversion; more click ids.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
ALTER TABLE offline_conversions
    ADD COLUMN ttclid    varchar(512),
    ADD COLUMN li_fat_id varchar(512),
    ADD COLUMN gbraid    varchar(512),
    ADD COLUMN wbraid    varchar(512);

CREATE TABLE conversion_outbox (
    id              bigserial PRIMARY KEY,
    conversion_id   uuid NOT NULL REFERENCES offline_conversions ON DELETE CASCADE,
    platform        varchar(20) NOT NULL CHECK (platform IN ('google_ads', 'meta', 'linkedin', 'tiktok')),
    dedup_key       varchar(200) NOT NULL UNIQUE,   -- '<conversion_id>:<platform>', the platform's order/event id
    payload         jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    status          varchar(20) NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX idx_conversion_outbox_conversion_id ON conversion_outbox (conversion_id);
CREATE INDEX idx_conversion_outbox_due ON conversion_outbox (status, next_attempt_at)
    WHERE status IN ('pending', 'failed');
CREATE TRIGGER trg_set_updated_at BEFORE UPDATE ON conversion_outbox
    FOR EACH ROW EXECUTE FUNCTION rastro_set_updated_at();
""")


def downgrade() -> None:
    run_script("""
DROP TABLE conversion_outbox;
ALTER TABLE offline_conversions
    DROP COLUMN ttclid, DROP COLUMN li_fat_id, DROP COLUMN gbraid, DROP COLUMN wbraid;
""")
