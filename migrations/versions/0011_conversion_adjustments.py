"""What a refund or chargeback did to each platform's copy of a converted purchase.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
-- One per conversion and platform: a retraction queued (platforms that take a sale back), or a note that
-- the platform keeps the conversion (the others).
CREATE TABLE conversion_adjustments (
    id             bigserial PRIMARY KEY,
    conversion_id  uuid NOT NULL REFERENCES offline_conversions ON DELETE CASCADE,
    platform       varchar(20) NOT NULL CHECK (platform IN ('google_ads', 'meta', 'linkedin', 'tiktok')),
    reason         varchar(20) NOT NULL CHECK (reason IN ('refund', 'chargeback')),
    action         varchar(20) NOT NULL CHECK (action IN ('retraction', 'recorded')),
    transaction_id integer REFERENCES transactions ON DELETE SET NULL,
    adjusted_at    timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conversion_id, platform)
);
""")


def downgrade() -> None:
    run_script("DROP TABLE conversion_adjustments;")
