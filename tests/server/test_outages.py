"""PostgreSQL stopped, frozen, restarted or holding locks: every answer bounded, JSON, and what the caller can do."""

import asyncio
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import asyncpg
import httpx
import pytest

from server.migrate import upgrade
from tests.conftest import KeyMaker, key_maker
from tests.live import LiveServer, live_server
from tests.mutations.db import open_leads
from tests.throwaway_pg import Cluster, throwaway_cluster

DOMAINS = {"query": "{ domains { totalCount nodes { id domainName } } }"}  # the compiled path
NODE = "query N($id: ID!) { node(id: $id) { ... on Domain { domainName } } }"  # the Python path
NODE_OF_NOTHING = '{ node(id: "RG9tYWluOjA=") { id } }'
CREATE = "mutation C($name: String!) { createDomain(input: {domainName: $name}) { domain { domainName } } }"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    with throwaway_cluster() as cluster:
        asyncio.run(upgrade(cluster.url))
        yield cluster


def create_domain(client: httpx.Client, name: str) -> httpx.Response:
    return client.post("/graphql", json={"query": CREATE, "variables": {"name": name}})


def node(client: httpx.Client, node_id: str) -> httpx.Response:
    return client.post("/graphql", json={"query": NODE, "variables": {"id": node_id}})


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", response.text


def timed(call: Any, *args: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call(*args) if len(args) < 2 else call(args[0], json=args[1])
    return response, time.monotonic() - started


def wait_ready(client: httpx.Client, within: float) -> float:
    """Seconds until /readyz says ready; fails past `within`."""
    started = time.monotonic()
    while (waited := time.monotonic() - started) < within:
        if client.get("/readyz").status_code == 200:
            return waited
        time.sleep(0.1)
    pytest.fail(f"not ready {within} s after the database came back")


def test_stopped_database_503_then_recovery_without_restart(cluster: Cluster) -> None:
    make_key = key_maker(cluster.url)
    admin = make_key("admin")
    with live_server(cluster.url) as live, live.client(admin) as client:
        assert create_domain(client, "antes.com.br").status_code == 200
        domain_id = client.post("/graphql", json=DOMAINS).json()["data"]["domains"]["nodes"][0]["id"]
        assert node(client, domain_id).json()["data"]["node"] == {"domainName": "antes.com.br"}

        cluster.stop()
        with live.client(make_key_offline()) as stranger:
            answers = [
                client.post("/graphql", json=DOMAINS),
                node(client, domain_id),
                create_domain(client, "durante.com.br"),
                stranger.post("/graphql", json=DOMAINS),  # a key never seen: its lookup fails
            ]
        for response in answers:
            assert_unavailable(response)
        ready, seconds = timed(client.get, "/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        assert seconds < 2

        cluster.start()
        assert wait_ready(client, 5) < 5
        # The pooled connections died with the database: none of them reaches a request.
        assert client.post("/graphql", json=DOMAINS).json()["data"]["domains"]["totalCount"] == 1
        assert node(client, domain_id).json()["data"]["node"] == {"domainName": "antes.com.br"}
        assert create_domain(client, "depois.com.br").json()["data"]["createDomain"]["domain"]
    names = {row["domain_name"] for row in fetch_domains(cluster.url)}
    assert names == {"antes.com.br", "depois.com.br"}  # nothing half-written, nothing lost


def make_key_offline() -> str:
    """A well-formed key the server cannot know (no database to look it up in)."""
    return "rst_" + uuid.uuid4().hex


def fetch_domains(url: str) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(url)
        try:
            return await connection.fetch("SELECT domain_name FROM domains")
        finally:
            await connection.close()

    return asyncio.run(run())


@contextmanager
def frozen(cluster: Cluster) -> Iterator[None]:
    """SIGSTOP the postmaster and its backends: connections are accepted by the kernel and never answered."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(
        ["/usr/bin/pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False
    )
    pids = [postmaster, *map(int, children.stdout.split())]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in reversed(pids):
            os.kill(pid, signal.SIGCONT)


def test_frozen_database_readyz_answers_within_2_s_and_requests_recover(cluster: Cluster) -> None:
    admin = key_maker(cluster.url)("admin")
    with live_server(cluster.url, request_timeout_seconds=2) as live, live.client(admin) as client:
        assert client.post("/graphql", json=DOMAINS).status_code == 200
        with frozen(cluster):
            probes = [timed(client.get, "/readyz") for _ in range(2)]
            queries = [timed(client.post, "/graphql", body) for body in (DOMAINS, {"query": NODE_OF_NOTHING})]
        for response, seconds in probes:
            assert response.status_code == 503 and response.json()["status"] == "unavailable"
            assert seconds < 2
        for response, seconds in queries:
            # The request deadline (2 s) ends them; cancelling waits at most 1 s for the cleanup.
            assert response.status_code == 503, response.text
            assert response.json()["errors"][0]["extensions"]["code"] in ("TIMEOUT", "SERVICE_UNAVAILABLE")
            assert seconds < 4
        assert wait_ready(client, 5) < 5
        assert client.post("/graphql", json=DOMAINS).json()["data"]["domains"]["totalCount"] == 0


UPDATE = "mutation U($input: UpdateLeadInput!) { updateLead(input: $input) { lead { company } } }"


@contextmanager
def holding(url: str, statement: str, *args: Any) -> Iterator[None]:
    """Another client runs the locking statement in a transaction left open for the duration."""

    async def hold() -> tuple[asyncpg.Connection, Any]:
        connection = await asyncpg.connect(url)
        transaction = connection.transaction()
        await transaction.start()
        await connection.execute(statement, *args)
        return connection, transaction

    loop = asyncio.new_event_loop()
    connection, transaction = loop.run_until_complete(hold())
    try:
        yield
    finally:
        loop.run_until_complete(transaction.rollback())
        loop.run_until_complete(connection.close())
        loop.close()


def locked_lead(url: str, lead_id: str) -> AbstractContextManager[None]:
    """Another client holds the lead's row lock for the duration."""
    return holding(url, "SELECT 1 FROM leads WHERE lead_id = $1 FOR UPDATE", uuid.UUID(lead_id))


def update_lead(client: httpx.Client, lead_id: str) -> httpx.Response:
    return client.post(
        "/graphql", json={"query": UPDATE, "variables": {"input": {"leadId": lead_id, "company": "X"}}}
    )


def test_lock_wait_ends_as_retryable_conflict(seeded_db_url: str, make_seeded_key: KeyMaker) -> None:
    lead_id = str(open_leads(seeded_db_url)[0]["lead_id"])
    key = make_seeded_key("connector")
    with live_server(seeded_db_url, lock_timeout_ms=200) as live, live.client(key) as client:
        with locked_lead(seeded_db_url, lead_id):
            blocked = update_lead(client, lead_id)
        assert blocked.status_code == 200
        error = blocked.json()["errors"][0]
        assert error["extensions"]["code"] == "CONFLICT" and error["path"] == ["updateLead"]
        assert "retry" in error["message"]
        # Retried once the lock is gone, it goes through.
        assert update_lead(client, lead_id).json()["data"]["updateLead"]["lead"]["company"] == "X"


def test_reads_answer_while_every_write_connection_waits_on_a_lock(
    seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = str(open_leads(seeded_db_url)[0]["lead_id"])
    key = make_seeded_key("connector")
    settings = {"lock_timeout_ms": 60_000, "pool_size": 1, "pool_max_overflow": 0}
    with live_server(seeded_db_url, **settings) as live:
        asyncio.run(_reads_beside_blocked_writes(live, seeded_db_url, key, lead_id))


async def _reads_beside_blocked_writes(live: LiveServer, url: str, key: str, lead_id: str) -> None:
    locker = await asyncpg.connect(url)
    transaction = locker.transaction()
    await transaction.start()
    await locker.execute("SELECT 1 FROM leads WHERE lead_id = $1 FOR UPDATE", uuid.UUID(lead_id))
    body = {"query": UPDATE, "variables": {"input": {"leadId": lead_id, "company": "Y"}}}
    async with live.async_client(key) as client:
        writes = [asyncio.create_task(client.post("/graphql", json=body)) for _ in range(3)]
        try:
            await _until_waiting(url)
            # The only write connection waits on the lock, two writes wait for it: reads still answer.
            read = await client.post("/graphql", json={"query": "{ leads(first: 1) { totalCount } }"})
            assert read.status_code == 200 and read.json()["data"]["leads"]["totalCount"] > 0
            assert not any(write.done() for write in writes)
        finally:
            await transaction.rollback()
            await locker.close()
        for write in writes:
            assert (await write).json()["data"]["updateLead"]["lead"]["company"] == "Y"


async def _until_waiting(url: str) -> None:
    """Until a backend waits on a lock (asked outside the locker's transaction, whose stats are a snapshot)."""
    watcher = await asyncpg.connect(url)
    try:
        for _ in range(200):
            if await watcher.fetchval(WAITING):
                return
            await asyncio.sleep(0.05)
    finally:
        await watcher.close()
    pytest.fail("the write never waited on the lock")


WAITING = (
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
)


def test_statement_timeout_is_a_clear_timeout_on_both_read_paths(
    seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    key = make_seeded_key("analyst")
    compiled = {"query": "{ leads { totalCount } }"}
    python = {"query": "{ leads(first: 1) { totalCount nodes { currentStage { stageName } } } }"}
    with live_server(seeded_db_url, statement_timeout_ms=300) as live, live.client(key) as client:
        with table_locked(seeded_db_url, "leads"):
            answers = [client.post("/graphql", json=body) for body in (compiled, python)]
        for response in answers:
            assert response.status_code == 503, response.text
            error = response.json()["errors"][0]
            assert error["extensions"]["code"] == "TIMEOUT"
            assert "time limit" in error["message"]
        assert client.post("/graphql", json=compiled).status_code == 200


def table_locked(url: str, table: str) -> AbstractContextManager[None]:
    return holding(url, f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")


VISIT = """mutation V($url: String!) {
  trackVisit(input: {url: $url, visitorId: "v-1"}) { session { sessionId } errors { code message } }
}"""


def test_tracking_while_the_database_is_down_gets_503_and_recovers(cluster: Cluster) -> None:
    admin = key_maker(cluster.url)("admin")
    with live_server(cluster.url) as live, live.client(admin) as client:
        assert create_domain(client, "antes.com.br").status_code == 200

        def visit() -> httpx.Response:
            return client.post(
                "/graphql", json={"query": VISIT, "variables": {"url": "https://antes.com.br/a"}}
            )

        assert visit().json()["data"]["trackVisit"]["errors"] == []
        cluster.stop()
        assert_unavailable(visit())  # the tracking pool's connections died with the database
        cluster.start()
        assert wait_ready(client, 5) < 5
        assert visit().json()["data"]["trackVisit"]["errors"] == []
    assert len(fetch_domains(cluster.url)) == 1
