"""Delivery contracts: per-domain delivery accounts (secrets sealed), and retractions in the outbox.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
CREATE TABLE delivery_accounts (
    id          bigserial PRIMARY KEY,
    domain_id   uuid NOT NULL REFERENCES domains ON DELETE CASCADE,
    destination varchar(20) NOT NULL
                CHECK (destination IN ('google_ads', 'meta', 'linkedin', 'tiktok', 'crm_webhook')),
    name        varchar(100) NOT NULL,
    settings    jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
    secrets     bytea,          -- a Fernet token of a JSON object; the key lives outside the database
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (domain_id, destination)
);
CREATE TRIGGER trg_set_updated_at BEFORE UPDATE ON delivery_accounts
    FOR EACH ROW EXECUTE FUNCTION rastro_set_updated_at();

ALTER TABLE conversion_outbox
    ADD COLUMN kind varchar(20) NOT NULL DEFAULT 'conversion' CHECK (kind IN ('conversion', 'retraction'));
""")


def downgrade() -> None:
    run_script("""
ALTER TABLE conversion_outbox DROP COLUMN kind;
DROP TABLE delivery_accounts;
""")
