"""domain_id on every tracking and CRM row (the Citus plan's distribution column), kept equal to its parent's.

Each table gets the column, filled from its parent in one pass, NOT NULL (every row has a parent, so a
domain), and its foreign key to the parent becomes composite: (session_id, domain_id) references
sessions (session_id, domain_id), and so on down, so a row whose domain differs from its session's or
lead's cannot be stored. rastro_record_visit writes it on the page view and UTM capture.

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence
from importlib import import_module

from migrations.raw_sql import run_script

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, its key to the parent, the parent), parents before their children.
CHILDREN = (
    ("page_views", "session_id", "sessions"),
    ("events", "session_id", "sessions"),
    ("utm_tracking", "session_id", "sessions"),
    ("leads", "session_id", "sessions"),
    ("lead_stages", "lead_id", "leads"),
    ("offline_conversions", "lead_id", "leads"),
    ("integrations_log", "lead_id", "leads"),
    ("platform_sync_log", "conversion_id", "offline_conversions"),
    ("conversion_outbox", "conversion_id", "offline_conversions"),
)
# The parents' keys: a composite foreign key needs a unique (domain_id, key) to reference. Domain first,
# as the Citus plan's keys are (lookups by the key alone keep using the primary key).
PARENT_KEYS = {"sessions": "session_id", "leads": "lead_id", "offline_conversions": "conversion_id"}

RECORD_VISIT_0014 = import_module("migrations.versions.0014_record_visit").RECORD_VISIT
# The two inserts of 0014's function, and the same with the visit's domain.
DOMAIN_WRITES = {
    "CREATE FUNCTION": "CREATE OR REPLACE FUNCTION",
    "INSERT INTO page_views (session_id, page_id,": "INSERT INTO page_views (session_id, domain_id, page_id,",
    "VALUES (o_session_id, p_page_id, o_view_order)": "VALUES (o_session_id, p_domain_id, p_page_id, o_view_order)",
    "INSERT INTO utm_tracking (session_id, page_id,": "INSERT INTO utm_tracking (session_id, domain_id, page_id,",
    "VALUES (o_session_id, p_page_id, p_utm_source,": "VALUES (o_session_id, p_domain_id, p_page_id, p_utm_source,",
}


def record_visit_with_domain() -> str:
    sql = RECORD_VISIT_0014
    for old, new in DOMAIN_WRITES.items():
        assert sql.count(old) == 1, old
        sql = sql.replace(old, new)
    return sql


def unique_with_domain(parent: str) -> str:
    key = PARENT_KEYS[parent]
    return f"ALTER TABLE {parent} ADD CONSTRAINT {parent}_domain_id_{key}_key UNIQUE (domain_id, {key});"


def upgrade() -> None:
    statements = [unique_with_domain("sessions")]
    for table, key, parent in CHILDREN:
        # The backfill is not an edit: updated_at keeps its value.
        statements.append(f"""
ALTER TABLE {table} ADD COLUMN domain_id uuid;
ALTER TABLE {table} DISABLE TRIGGER trg_set_updated_at;
UPDATE {table} t SET domain_id = p.domain_id FROM {parent} p WHERE p.{key} = t.{key};
ALTER TABLE {table} ENABLE TRIGGER trg_set_updated_at;
ALTER TABLE {table} ALTER COLUMN domain_id SET NOT NULL,
    DROP CONSTRAINT {table}_{key}_fkey,
    ADD CONSTRAINT {table}_{key}_fkey FOREIGN KEY ({key}, domain_id)
        REFERENCES {parent} ({key}, domain_id) ON DELETE CASCADE;""")
        if table in PARENT_KEYS:
            statements.append(unique_with_domain(table))
    run_script("\n".join(statements))
    run_script(record_visit_with_domain())


def downgrade() -> None:
    run_script("DROP FUNCTION rastro_record_visit;")
    run_script(RECORD_VISIT_0014)
    statements = []
    for table, key, parent in reversed(CHILDREN):
        if table in PARENT_KEYS:
            statements.append(f"ALTER TABLE {table} DROP CONSTRAINT {table}_domain_id_{PARENT_KEYS[table]}_key;")
        statements.append(f"""
ALTER TABLE {table} DROP CONSTRAINT {table}_{key}_fkey,
    ADD CONSTRAINT {table}_{key}_fkey FOREIGN KEY ({key}) REFERENCES {parent} ({key}) ON DELETE CASCADE;
ALTER TABLE {table} DROP COLUMN domain_id;""")
    statements.append("ALTER TABLE sessions DROP CONSTRAINT sessions_domain_id_session_id_key;")
    run_script("\n".join(statements))
