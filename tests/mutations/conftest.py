"""A seeded server shared by one module's tests: for refused requests, and writes no other test reads."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests import pg
from tests.conftest import key_maker
from tests.live import LiveServer, live_server


@dataclass(frozen=True)
class SharedServer:
    live: LiveServer
    url: str
    connector_key: str


@pytest.fixture(scope="module")
def shared_server(pg_url: str, seeded_template: str) -> Iterator[SharedServer]:
    name = pg.unique_name("rastro_mutations")
    url = pg.create_database(pg_url, name, template=seeded_template)
    try:
        with live_server(url) as live:
            yield SharedServer(live=live, url=url, connector_key=key_maker(url)("connector"))
    finally:
        pg.drop_database(pg_url, name)
