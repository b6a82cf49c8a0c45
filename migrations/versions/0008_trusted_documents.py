"""Trusted documents: the operations a key may run when its list is loaded (`rastro documents load`).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
-- A key with a row here runs only the documents of its list; without one, any document.
CREATE TABLE trusted_document_lists (
    key_id    uuid PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    source    varchar(500) NOT NULL,   -- the manifest it was loaded from, as given to the CLI
    loaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trusted_documents (
    key_id   uuid NOT NULL REFERENCES trusted_document_lists (key_id) ON DELETE CASCADE,
    sha256   char(64) NOT NULL,        -- of the document's text, as clients hash it for persisted queries
    name     varchar(200),
    document text NOT NULL,
    PRIMARY KEY (key_id, sha256)
);
""")


def downgrade() -> None:
    run_script("DROP TABLE trusted_documents; DROP TABLE trusted_document_lists;")
