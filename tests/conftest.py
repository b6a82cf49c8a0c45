"""Fixtures: real PostgreSQL, migrated and seeded templates, a database copy and a live server per test."""

import asyncio
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from resolvers.key_material import generate_key, hash_key
from server.migrate import upgrade
from tests import pg
from tests.live import LiveServer, live_server
from tests.server_output import OUTPUT

LAST = "tests/test_server_output.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The server output's test runs after every other test, to grep what they all made the servers log."""
    items.sort(key=lambda item: item.nodeid.startswith(LAST))


@pytest.fixture(scope="session", autouse=True)
def server_output() -> Iterator[None]:
    logging.getLogger().addHandler(OUTPUT)
    yield
    logging.getLogger().removeHandler(OUTPUT)


SEED_SCALE = 0.3


@pytest.fixture(scope="session")
def pg_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pg.server_url(Path(tmp_path_factory.mktemp("embedded"))) as url:
        pg.drop_stale_databases(url)
        yield url


@pytest.fixture(scope="session")
def migrated_template(pg_url: str) -> Iterator[str]:
    name = pg.unique_name("rastro_tpl_migrated")
    url = pg.create_database(pg_url, name)
    asyncio.run(upgrade(url))
    yield name
    pg.drop_database(pg_url, name)


def _seeded(pg_url: str, migrated_template: str, scale: float) -> Iterator[str]:
    from server.seed import seed_database

    name = pg.unique_name(f"rastro_tpl_seed{int(scale * 100)}")
    url = pg.create_database(pg_url, name, template=migrated_template)
    asyncio.run(seed_database(url, scale))
    yield name
    pg.drop_database(pg_url, name)


@pytest.fixture(scope="session")
def seeded_template(pg_url: str, migrated_template: str) -> Iterator[str]:
    yield from _seeded(pg_url, migrated_template, SEED_SCALE)


@pytest.fixture(scope="session")
def large_seeded_template(pg_url: str, migrated_template: str) -> Iterator[str]:
    yield from _seeded(pg_url, migrated_template, SEED_SCALE * 10)


def _copy(pg_url: str, template: str) -> Iterator[str]:
    name = pg.unique_name("rastro_test")
    yield pg.create_database(pg_url, name, template=template)
    pg.drop_database(pg_url, name)


@pytest.fixture
def db_url(pg_url: str, migrated_template: str) -> Iterator[str]:
    """A freshly migrated, empty database of this test's own."""
    yield from _copy(pg_url, migrated_template)


@pytest.fixture
def seeded_db_url(pg_url: str, seeded_template: str) -> Iterator[str]:
    """A migrated database with demo data at SEED_SCALE, of this test's own."""
    yield from _copy(pg_url, seeded_template)


@pytest.fixture
def large_seeded_db_url(pg_url: str, large_seeded_template: str) -> Iterator[str]:
    """A migrated database with demo data at 10x SEED_SCALE, of this test's own."""
    yield from _copy(pg_url, large_seeded_template)


@pytest.fixture
def server(db_url: str) -> Iterator[LiveServer]:
    with live_server(db_url) as live:
        yield live


@pytest.fixture
def large_server(pg_url: str, large_seeded_template: str) -> Iterator[tuple[LiveServer, str]]:
    """A live server on demo data at 10x SEED_SCALE (3 and more domains), and its database URL."""
    yield from _served_copy(pg_url, large_seeded_template)


def _served_copy(pg_url: str, template: str) -> Iterator[tuple[LiveServer, str]]:
    for url in _copy(pg_url, template):
        with live_server(url) as live:
            yield live, url


@pytest.fixture
def seeded_server(seeded_db_url: str) -> Iterator[LiveServer]:
    with live_server(seeded_db_url) as live:
        yield live


async def _insert_key(url: str, name: str, role: str) -> str:
    key = generate_key()
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "INSERT INTO api_keys (name, role, key_prefix, key_hash) VALUES ($1, $2, $3, $4)",
            name,
            role,
            key[:12],
            hash_key(key),
        )
    finally:
        await connection.close()
    return key


KeyMaker = Callable[[str], str]


def key_maker(url: str, prefix: str = "test") -> KeyMaker:
    counter = iter(range(1_000_000))
    return lambda role: asyncio.run(_insert_key(url, f"{prefix}-{role}-{next(counter)}", role))


@pytest.fixture
def make_key(db_url: str) -> KeyMaker:
    return key_maker(db_url)


@pytest.fixture
def make_seeded_key(seeded_db_url: str) -> KeyMaker:
    return key_maker(seeded_db_url)
