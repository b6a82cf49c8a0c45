"""The partitioning migration keeps every row, key, index and view, and its downgrade gives them back."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from server.migrate import alembic_config, downgrade, upgrade
from server.seed import seed_database
from tests import pg
from tests.partitions import TABLES
from tests.sql import fetch, fetch_one

KEYS = {
    "events": "event_id",
    "integrations_log": "log_id",
    "page_views": "view_id",
    "platform_sync_log": "sync_id",
    "platform_transaction_payment_history": "id",
}
VIEWS = ("analytics_funnel_sessions", "analytics_variant_visitors", "platform_payment_history_with_retention")
INDEXES = """
SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY($1) ORDER BY 1, 2
"""
CONSTRAINTS = """
SELECT conrelid::regclass::text AS t, conname, contype, convalidated FROM pg_constraint
WHERE conrelid = ANY($1::regclass[]) ORDER BY 1, 2
"""


def before_partitioning() -> str:
    """The revision the partitioning migration follows."""
    scripts = ScriptDirectory.from_config(alembic_config("postgresql://localhost/x"))
    found = [s for s in scripts.walk_revisions() if Path(s.path).name.endswith("_partitions.py")]
    assert len(found) == 1
    down = found[0].down_revision
    assert isinstance(down, str)
    return down


@pytest.fixture
def seeded_before(pg_url: str) -> Iterator[str]:
    """A database at the revision before partitioning, with the demo data."""
    name = pg.unique_name("rastro_partitioning")
    url = pg.create_database(pg_url, name)
    asyncio.run(upgrade(url, before_partitioning()))
    asyncio.run(seed_database(url, 0.2))
    yield url
    pg.drop_database(pg_url, name)


def content(url: str) -> dict[str, tuple[int, str]]:
    """Rows and a digest of every row, per table and view."""
    found = {}
    for table in TABLES:
        row = fetch_one(
            url,
            f"SELECT count(*) AS n, md5(string_agg(t::text, ',' ORDER BY t.{KEYS[table]})) AS d FROM {table} t",
        )
        found[table] = (row["n"], row["d"])
    for view in VIEWS:
        row = fetch_one(
            url, f"SELECT count(*) AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS d FROM {view} t"
        )
        found[view] = (row["n"], row["d"])
    return found


def kinds(url: str) -> dict[str, str]:
    rows = fetch(
        url, "SELECT relname, relkind::text AS k FROM pg_class WHERE relname = ANY($1)", list(TABLES)
    )
    return {row["relname"]: row["k"] for row in rows}


def test_partitioning_keeps_every_row_and_its_downgrade_gives_the_tables_back(seeded_before: str) -> None:
    url = seeded_before
    rows = content(url)
    assert all(count > 0 for count, _ in rows.values()), rows
    indexes = fetch(url, INDEXES, list(TABLES))
    constraints = fetch(url, CONSTRAINTS, list(TABLES))
    assert set(kinds(url).values()) == {"r"}

    asyncio.run(upgrade(url))
    assert set(kinds(url).values()) == {"p"}
    assert content(url) == rows
    # Each row is in its month's partition: none left in DEFAULT, every month the data has is a partition.
    for table in TABLES:
        assert fetch_one(url, f"SELECT count(*) AS n FROM {table}_default")["n"] == 0
        spread = fetch(
            url,
            f"SELECT DISTINCT tableoid::regclass::text AS p, to_char(created_at AT TIME ZONE 'UTC', 'YYYY_MM') AS m FROM {table}",
        )
        assert all(row["p"] == f"{table}_p{row['m']}" for row in spread), spread
    # Same names; primary and unique keys now include created_at.
    assert fetch(url, INDEXES, list(TABLES)) == indexes
    keys = fetch(
        url, "SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conname = 'page_views_pkey'"
    )
    assert keys == [{"d": "PRIMARY KEY (view_id, created_at)"}]

    asyncio.run(downgrade(url, before_partitioning()))
    assert set(kinds(url).values()) == {"r"}
    assert content(url) == rows
    assert fetch(url, INDEXES, list(TABLES)) == indexes
    assert fetch(url, CONSTRAINTS, list(TABLES)) == constraints
    keys = fetch(
        url, "SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conname = 'page_views_pkey'"
    )
    assert keys == [{"d": "PRIMARY KEY (view_id)"}]
    # The payment history's id sequence still belongs to it, and goes on from where it was.
    next_id = fetch_one(
        url, "SELECT nextval(pg_get_serial_sequence('platform_transaction_payment_history', 'id')) AS n"
    )
    assert next_id["n"] > rows["platform_transaction_payment_history"][0]
