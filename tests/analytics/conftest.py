"""One seeded database and live server per module: the reports only read, so tests may share them."""

from collections.abc import Iterator

import pytest

from tests import pg
from tests.conftest import KeyMaker, key_maker
from tests.live import LiveServer, live_server


@pytest.fixture(scope="module")
def report_db(pg_url: str, seeded_template: str) -> Iterator[str]:
    name = pg.unique_name("rastro_reports")
    yield pg.create_database(pg_url, name, template=seeded_template)
    pg.drop_database(pg_url, name)


@pytest.fixture(scope="module")
def report_server(report_db: str) -> Iterator[LiveServer]:
    with live_server(report_db) as live:
        yield live


@pytest.fixture(scope="module")
def report_keys(report_db: str) -> KeyMaker:
    return key_maker(report_db)


@pytest.fixture(scope="module")
def analyst(report_keys: KeyMaker) -> str:
    return report_keys("analyst")


@pytest.fixture(scope="module")
def viewer(report_keys: KeyMaker) -> str:
    return report_keys("viewer")
