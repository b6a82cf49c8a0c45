"""Delivery tests: fake platforms on loopback, and the worker run in this process against a test database."""

import asyncio
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
