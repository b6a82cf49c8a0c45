"""DATABASE_READ_URL: queries are answered by a real streaming replica, mutations and their payloads by the primary."""

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest

from server.migrate import upgrade
from tests.conftest import key_maker
from tests.graphql_http import data
from tests.live import live_server
from tests.throwaway_pg import Cluster, streaming_replica, throwaway_cluster

DOMAINS = "{ domains { nodes { id domainName isActive } } }"  # the compiled path
NODE = "query N($id: ID!) { node(id: $id) { ... on Domain { domainName isActive } } }"  # the Python path
CREATE = "mutation C($name: String!) { createDomain(input: {domainName: $name}) { domain { id domainId } } }"
# The second payload's domain and its pages are resolved by loaders, after both writes.
DEACTIVATE_AND_ADD_PAGE = """mutation D($id: UUID!) {
  updateDomain(input: {domainId: $id, isActive: false}) { domain { isActive } }
  upsertLandingPage(input: {domainId: $id, pageUrl: "/lp"}) {
    landingPage { domain { isActive landingPages { totalCount } } }
  }
}"""


@pytest.fixture
def replicated() -> Iterator[tuple[Cluster, Cluster]]:
    with throwaway_cluster() as primary:
        asyncio.run(upgrade(primary.url))
        with streaming_replica(primary) as replica:
            yield primary, replica


def sql(url: str, statement: str) -> Any:
    async def run() -> Any:
        connection = await asyncpg.connect(url)
        try:
            return await connection.fetchval(statement)
        finally:
            await connection.close()

    return asyncio.run(run())


def caught_up(primary: Cluster, replica: Cluster) -> None:
    """Waits until the replica has replayed everything the primary has written so far."""
    lsn = sql(primary.url, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + 20
    while not sql(replica.url, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"):
        assert time.monotonic() < deadline, "the replica did not catch up within 20 s"
        time.sleep(0.05)


def seen(client: httpx.Client, domain_id: str) -> tuple[bool, bool]:
    """Whether the domain is active, as a compiled query and as a Python-resolved one answer."""
    listed = data(client, DOMAINS)["domains"]["nodes"][0]["isActive"]
    return listed, data(client, NODE, id=domain_id)["node"]["isActive"]


def test_queries_read_the_replica_and_a_mutation_reads_its_own_write(
    replicated: tuple[Cluster, Cluster],
) -> None:
    primary, replica = replicated
    admin = key_maker(primary.url)("admin")
    with live_server(primary.url, database_read_url=replica.url) as live, live.client(admin) as client:
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready" and ready["replica"]["standby"] is True, ready
        created = data(client, CREATE, name="meusite.com.br")["createDomain"]["domain"]
        caught_up(primary, replica)
        assert seen(client, created["id"]) == (True, True)

        sql(replica.url, "SELECT pg_wal_replay_pause()")
        payload = data(client, DEACTIVATE_AND_ADD_PAGE, id=created["domainId"])
        # The payloads show the writes, read on the primary; the stalled replica still answers queries.
        assert payload["updateDomain"]["domain"] == {"isActive": False}
        loaded = payload["upsertLandingPage"]["landingPage"]["domain"]
        assert loaded == {"isActive": False, "landingPages": {"totalCount": 1}}
        assert sql(primary.url, "SELECT is_active FROM domains") is False
        assert seen(client, created["id"]) == (True, True)

        sql(replica.url, "SELECT pg_wal_replay_resume()")
        caught_up(primary, replica)
        assert seen(client, created["id"]) == (False, False)

        replica.stop()
        unready = client.get("/readyz")
        assert unready.status_code == 503 and unready.json()["status"] == "unavailable"
