"""A field cancelled by graphql-core (its sibling failed) leaves the rows it shared with other fields loading."""

import asyncio

from loaders.registry import LoaderRegistry
from models import Domain
from server.database import create_engine, create_read_sessionmaker
from server.settings import Settings
from tests.sql import fetch


def test_a_cancelled_waiter_does_not_cancel_the_row_other_fields_await(seeded_db_url: str) -> None:
    domain_id = fetch(seeded_db_url, "SELECT domain_id FROM domains ORDER BY domain_name LIMIT 1")[0][
        "domain_id"
    ]

    async def run() -> object:
        engine = create_engine(seeded_db_url, Settings())
        try:
            loader = LoaderRegistry(create_read_sessionmaker(engine)).one(Domain, Domain.domain_id)
            cancelled = asyncio.ensure_future(loader.load(domain_id))
            other = asyncio.ensure_future(loader.load(domain_id))  # the same key: the same batch future
            await asyncio.sleep(0)
            cancelled.cancel()
            return await other
        finally:
            await engine.dispose()

    domain = asyncio.run(run())
    assert isinstance(domain, Domain) and domain.domain_id == domain_id
