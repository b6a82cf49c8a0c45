"""A migrated empty database with one registered domain, served live, and keys of any role."""

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import KeyMaker
from tests.ingest.tracking import Site, make_domain
from tests.live import LiveServer


@pytest.fixture
def site(db_url: str) -> Site:
    return make_domain(db_url)


@pytest.fixture
def ingest(server: LiveServer, make_key: KeyMaker, site: Site) -> Iterator[httpx.Client]:
    """A client with an ingest key."""
    with server.client(make_key("ingest")) as client:
        yield client
