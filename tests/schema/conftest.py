"""Fixtures of the schema tests."""

import httpx
import pytest

from tests.conftest import KeyMaker
from tests.live import LiveServer


@pytest.fixture
def analyst(seeded_server: LiveServer, make_seeded_key: KeyMaker) -> httpx.Client:
    return seeded_server.client(make_seeded_key("analyst"))
