"""Delivery tests: fake platforms on loopback, and the worker run in this process against a test database."""

import asyncio
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from integrations.delivery.config import DeliveryConfig
from integrations.delivery.worker import Worker
from integrations.secret_box import SecretBox
from server.settings import Settings
from server.worker import worker_engine
from tests.delivery.arrange import SECRET_KEY
from tests.delivery.fakes_fixture import Fakes, running_fakes


@pytest.fixture
def fakes() -> Iterator[Fakes]:
    with running_fakes() as running:
        yield running


def drain(url: str, config: DeliveryConfig) -> Counter[str]:
    """`rastro worker --once`, in this process: deliver what is due, then return."""

    async def run() -> Counter[str]:
        engine = worker_engine(url, Settings(database_url=url, delivery_concurrency=config.concurrency))
        try:
            return await Worker(engine, config, SecretBox(SECRET_KEY)).run(once=True)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def drain_until_settled(url: str, config: DeliveryConfig, rounds: int = 40) -> Counter[str]:
    """Drain again while rows wait for a (short) retry backoff; the test's config keeps backoffs tiny."""
    from tests.sql import fetch_one

    total: Counter[str] = Counter()
    waiting = "SELECT count(*) AS n FROM conversion_outbox WHERE status IN ('pending', 'failed', 'delivering') AND next_attempt_at < 'infinity'"
    for _ in range(rounds):
        total.update(drain(url, config))
        if fetch_one(url, waiting)["n"] == 0:
            return total
        time.sleep(config.backoff_cap)
    raise AssertionError("rows still waiting after every round")
