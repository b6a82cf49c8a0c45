"""Lead stages keep the order they were recorded in, so two stages of the same instant have a fixed order.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
-- Existing rows are numbered by time first, so their order is the one they were shown in before.
ALTER TABLE lead_stages ADD COLUMN recorded_seq bigint;
CREATE SEQUENCE lead_stages_recorded_seq_seq OWNED BY lead_stages.recorded_seq;
UPDATE lead_stages s SET recorded_seq = o.n
FROM (SELECT stage_id, nextval('lead_stages_recorded_seq_seq') AS n
      FROM (SELECT stage_id FROM lead_stages ORDER BY created_at, stage_id) ordered) o
WHERE o.stage_id = s.stage_id;
ALTER TABLE lead_stages ALTER COLUMN recorded_seq SET DEFAULT nextval('lead_stages_recorded_seq_seq'),
                        ALTER COLUMN recorded_seq SET NOT NULL;
CREATE UNIQUE INDEX idx_lead_stages_lead_order ON lead_stages (lead_id, created_at, recorded_seq);
""")


def downgrade() -> None:
    run_script("ALTER TABLE lead_stages DROP COLUMN recorded_seq;")
