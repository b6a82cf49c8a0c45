"""Tracking ingestion: active and allowed origins per domain, ingest keys bound to a domain, lead retries,
the instance's visitor-id salt.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
ALTER TABLE domains
    ADD COLUMN is_active       boolean NOT NULL DEFAULT true,   -- an inactive domain's visits are refused
    ADD COLUMN allowed_origins text[]  NOT NULL DEFAULT '{}';   -- Origins /collect accepts beacons from

-- An ingest key sits in page source: it may write only its own domain's tracking data. No foreign key:
-- TRUNCATE domains (rastro seed) would cascade to every key; a key whose domain is gone is refused.
ALTER TABLE api_keys ADD COLUMN domain_id uuid;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_domain_check CHECK (domain_id IS NULL OR role = 'ingest');

-- A retried form submit carries the same key and returns the same lead.
ALTER TABLE leads ADD COLUMN idempotency_key varchar(255);
CREATE UNIQUE INDEX uq_leads_session_idempotency_key ON leads (session_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- One row: the salt of the fallback visitor id (hash of IP, user agent and domain), random per install.
CREATE TABLE rastro_instance (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    visitor_salt text NOT NULL DEFAULT md5(gen_random_uuid()::text) || md5(gen_random_uuid()::text)
);
INSERT INTO rastro_instance DEFAULT VALUES;
""")


def downgrade() -> None:
    run_script("""
DROP TABLE rastro_instance;
DROP INDEX uq_leads_session_idempotency_key;
ALTER TABLE leads DROP COLUMN idempotency_key;
ALTER TABLE api_keys DROP COLUMN domain_id;
ALTER TABLE domains DROP COLUMN is_active, DROP COLUMN allowed_origins;
""")
