"""customers.hashed_email: SHA-256 of the normalized e-mail, so leads join their purchases by hash.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
-- convert_to() is only STABLE; a database's encoding never changes, so the hash of a text is immutable.
CREATE FUNCTION rastro_email_hash(email text) RETURNS varchar(64)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT encode(sha256(convert_to(lower(btrim(email)), 'UTF8')), 'hex') $$;

ALTER TABLE customers ADD COLUMN hashed_email varchar(64) GENERATED ALWAYS AS (rastro_email_hash(email)) STORED;
CREATE INDEX idx_customers_hashed_email ON customers (hashed_email);
""")


def downgrade() -> None:
    run_script("ALTER TABLE customers DROP COLUMN hashed_email; DROP FUNCTION rastro_email_hash(text);")
