"""Indexes the root list filters need: each filter is one condition an index serves (docs/decisions/filters.md).

Trigram indexes serve `contains` where PostgreSQL ships pg_trgm (the system server does; the embedded
pgserver build does not, and there `contains` scans).

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
CREATE INDEX idx_leads_lead_score ON leads (lead_score);
CREATE INDEX idx_sessions_started_at ON sessions (started_at, session_id);
CREATE INDEX idx_sessions_visitor_id ON sessions (visitor_id);
CREATE INDEX idx_transactions_offer_price ON transactions (offer_price, id);
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX idx_utm_tracking_campaign_trgm ON utm_tracking USING gin (utm_campaign gin_trgm_ops);
    CREATE INDEX idx_integrations_log_error_trgm ON integrations_log USING gin (error_message gin_trgm_ops);
  END IF;
END $$;
""")


def downgrade() -> None:
    run_script("""
DROP INDEX IF EXISTS idx_integrations_log_error_trgm;
DROP INDEX IF EXISTS idx_utm_tracking_campaign_trgm;
DROP INDEX idx_transactions_offer_price;
DROP INDEX idx_sessions_visitor_id;
DROP INDEX idx_sessions_started_at;
DROP INDEX idx_leads_lead_score;
""")
