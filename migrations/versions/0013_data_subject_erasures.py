"""LGPD erasures: a record of each without the person's data; outbox rows of erased leads canceled.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
-- Who erased, when, why and how many rows per table: never whom.
CREATE TABLE data_subject_erasures (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    erased_at       timestamptz NOT NULL DEFAULT now(),
    actor_key_id    uuid,
    identifier_kind varchar(10) NOT NULL CHECK (identifier_kind IN ('email', 'phone', 'document')),
    reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    row_counts      jsonb NOT NULL CHECK (jsonb_typeof(row_counts) = 'object'),
    total_rows      integer NOT NULL CHECK (total_rows >= 0)
);
CREATE INDEX idx_data_subject_erasures_erased_at ON data_subject_erasures (erased_at);

ALTER TABLE conversion_outbox DROP CONSTRAINT conversion_outbox_status_check;
ALTER TABLE conversion_outbox ADD CONSTRAINT conversion_outbox_status_check
    CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'expired', 'not_configured', 'canceled'));
""")


def downgrade() -> None:
    run_script("""
UPDATE conversion_outbox SET status = 'expired' WHERE status = 'canceled';
ALTER TABLE conversion_outbox DROP CONSTRAINT conversion_outbox_status_check;
ALTER TABLE conversion_outbox ADD CONSTRAINT conversion_outbox_status_check
    CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'expired', 'not_configured'));
DROP TABLE data_subject_erasures;
""")
