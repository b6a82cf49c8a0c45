"""Requests bounded in time: the deadline answers TIMEOUT, a client that left takes its SQL with it,
a stalled body gets 408; each checked in PostgreSQL (the statement no longer runs)."""

import asyncio
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import KeyMaker
from tests.live import live_server

LEADS = {"query": "{ leads { totalCount } }"}  # the compiled path
# currentStage has no compiled form: the Python path answers.
FILTERED = {"query": "{ leads(first: 1) { totalCount nodes { currentStage { stageName } } } }"}
WAITING = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE wait_event_type = 'Lock' AND datname = current_database() AND application_name = 'rastro'"
)


class Locker:
    """Holds ACCESS EXCLUSIVE on a table (every read of it waits) and watches who waits, from its own loop."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def waiting(self) -> int:
        async def ask() -> int:
            connection = await asyncpg.connect(self.url)
            try:
                return int(await connection.fetchval(WAITING))
            finally:
                await connection.close()

        return int(self.run(ask()))

    def until(self, waiting: int, within: float = 10) -> None:
        for _ in range(int(within / 0.05)):
            if self.waiting() == waiting:
                return
            self.run(asyncio.sleep(0.05))
        pytest.fail(f"{self.waiting()} statements wait on the lock, not {waiting}")


@contextmanager
def leads_locked(url: str) -> Iterator[Locker]:
    locker = Locker(url)

    async def hold() -> tuple[asyncpg.Connection, Any]:
        connection = await asyncpg.connect(url)
        transaction = connection.transaction()
        await transaction.start()
        await connection.execute("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE")
        return connection, transaction

    connection, transaction = locker.run(hold())
    try:
        yield locker
    finally:
        locker.run(transaction.rollback())
        locker.run(connection.close())
        locker.loop.close()


@pytest.mark.parametrize("body", [LEADS, FILTERED], ids=["compiled", "python"])
def test_deadline_stops_the_request_and_its_sql(
    seeded_db_url: str, make_seeded_key: KeyMaker, body: dict[str, str]
) -> None:
    key = make_seeded_key("analyst")
    with live_server(seeded_db_url, request_timeout_seconds=1) as live, live.client(key) as client:
        with leads_locked(seeded_db_url) as locker:
            answer = client.post("/graphql", json=body)
            assert answer.status_code == 503, answer.text
            error = answer.json()["errors"][0]
            assert error["extensions"]["code"] == "TIMEOUT" and "deadline of 1 s" in error["message"]
            locker.until(0)  # cancelled in PostgreSQL too, while the lock is still held
        assert client.post("/graphql", json=body).status_code == 200


def test_a_client_that_leaves_takes_its_sql_with_it(seeded_db_url: str, make_seeded_key: KeyMaker) -> None:
    key = make_seeded_key("analyst")
    with live_server(seeded_db_url) as live:
        with leads_locked(seeded_db_url) as locker, live.client(key, timeout=0.5) as impatient:
            with pytest.raises(httpx.ReadTimeout):
                impatient.post("/graphql", json=FILTERED)
            # The deadline is 30 s and statement_timeout 15 s: only the client's leaving ends the statement.
            locker.until(0)
        with live.client(key) as client:
            assert client.post("/graphql", json=LEADS).status_code == 200


def test_a_stalled_body_gets_408(server: Any) -> None:
    with live_server_of(server, body_idle_seconds=0.5) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            head = "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            connection.sendall(head.encode() + b'{"query": ')
            received = b""
            while chunk := connection.recv(65536):  # headers and body may come in separate packets
                received += chunk
                if b"stalled" in received:
                    break
            answer = received.decode()
    status_line, _, rest = answer.partition("\r\n")
    assert status_line.split()[1] == "408", answer
    assert '"code": "BAD_REQUEST"' in rest and "stalled" in rest


@contextmanager
def live_server_of(server: Any, **settings: Any) -> Iterator[str]:
    """A second server on the same database with other settings."""
    with live_server(server.app.state.database_url, **settings) as live:
        yield live.base_url
