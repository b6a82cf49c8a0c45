"""API keys: name, role and the SHA-256 of the key (never the key itself).

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         varchar(100) NOT NULL UNIQUE,
    role         varchar(20) NOT NULL CHECK (role IN ('ingest', 'viewer', 'connector', 'analyst', 'admin')),
    key_prefix   varchar(16) NOT NULL,
    key_hash     char(64) NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
""")


def downgrade() -> None:
    run_script("DROP TABLE api_keys;")
