"""The migrations produce the reference data contract, and leave unrelated tables alone."""

import asyncio
import subprocess
import sys

import asyncpg

from server.migrate import downgrade, upgrade
from tests import pg
from tests.paths import REFERENCE_SCHEMA, SEED_QUERIES

COLUMNS = """
SELECT table_name, column_name, data_type, udt_name, character_maximum_length,
       numeric_precision, numeric_scale, is_nullable
FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name
"""
INDEXES = "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
ENUMS = """
SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
"""


async def fetch(url: str, query: str) -> list[tuple[object, ...]]:
    connection = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await connection.fetch(query)]
    finally:
        await connection.close()


async def run_sql(url: str, sql: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def test_migrated_database_has_every_reference_table_and_column(pg_url: str, db_url: str) -> None:
    reference_name = pg.unique_name("rastro_reference")
    reference_url = pg.create_database(pg_url, reference_name)
    try:
        asyncio.run(run_sql(reference_url, REFERENCE_SCHEMA.read_text()))
        expected = asyncio.run(fetch(reference_url, COLUMNS))
        expected_indexes = {row[0] for row in asyncio.run(fetch(reference_url, INDEXES))}
        expected_enums = set(asyncio.run(fetch(reference_url, ENUMS)))
    finally:
        pg.drop_database(pg_url, reference_name)

    actual = {(row[0], row[1]): row for row in asyncio.run(fetch(db_url, COLUMNS))}
    missing = [row[:2] for row in expected if row[:2] not in actual]
    assert not missing, f"columns missing after migrate: {missing}"
    different = [(row, actual[row[:2]]) for row in expected if actual[row[:2]] != row]
    assert not different, f"columns whose type or nullability differ: {different}"
    assert len({row[0] for row in expected}) == 25  # 24 tables + the retention view
    assert expected_indexes <= {row[0] for row in asyncio.run(fetch(db_url, INDEXES))}
    assert expected_enums <= set(asyncio.run(fetch(db_url, ENUMS)))


def test_seed_queries_of_the_documents_run_on_a_seeded_database(seeded_db_url: str) -> None:
    result = subprocess.run(
        [sys.executable, str(SEED_QUERIES), seeded_db_url, "--require-rows"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 FAIL," in result.stdout


UNRELATED = """
CREATE TABLE crm_notes (id int PRIMARY KEY, body text, updated_at timestamptz DEFAULT now());
INSERT INTO crm_notes VALUES (1, 'keep me', '2020-01-01');
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
INSERT INTO alembic_version VALUES ('someone_elses_head');
"""


def test_downgrade_to_base_and_upgrade_again_never_touch_unrelated_tables(pg_url: str) -> None:
    name = pg.unique_name("rastro_updown")
    url = pg.create_database(pg_url, name)
    try:
        asyncio.run(run_sql(url, UNRELATED))
        asyncio.run(upgrade(url))
        asyncio.run(run_sql(url, "UPDATE crm_notes SET body = 'still mine' WHERE id = 1"))
        asyncio.run(downgrade(url, "base"))
        tables = {
            row[0]
            for row in asyncio.run(fetch(url, "SELECT tablename FROM pg_tables WHERE schemaname='public'"))
        }
        assert tables == {"crm_notes", "alembic_version", "rastro_alembic_version"}
        asyncio.run(upgrade(url))
        assert asyncio.run(fetch(url, "SELECT count(*) FROM domains")) == [(0,)]
        notes = asyncio.run(fetch(url, "SELECT body, updated_at::date::text FROM crm_notes"))
        assert notes == [("still mine", "2020-01-01")]  # no trigger of ours touched updated_at
        assert asyncio.run(fetch(url, "SELECT version_num FROM alembic_version")) == [("someone_elses_head",)]
    finally:
        pg.drop_database(pg_url, name)
