"""API keys: what a client without, with a bad, or with a revoked key gets."""

import asyncio
import time

import asyncpg
import pytest

from tests.conftest import KeyMaker
from tests.live import LiveServer, live_server

DOMAINS = {"query": "{ domains { totalCount } }"}


def test_typename_works_without_a_key(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "Missing API key"),
        ("Basic dXNlcjpwYXNz", "Malformed Authorization header"),
        ("Bearer", "Malformed Authorization header"),
        ("Bearer not-a-rastro-key", "Malformed API key"),
        ("Bearer rst_thisKeyWasNeverIssued", "Unknown or revoked API key"),
    ],
)
def test_missing_malformed_or_unknown_key_is_401(
    server: LiveServer, header: str | None, message: str
) -> None:
    headers = {"Authorization": header} if header else {}
    with server.client() as client:
        response = client.post("/graphql", json=DOMAINS, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["message"].startswith(message)


async def _revoke_all(db_url: str) -> None:
    connection = await asyncpg.connect(db_url)
    try:
        await connection.execute("UPDATE api_keys SET revoked_at = now()")
    finally:
        await connection.close()


def test_a_revoked_key_stops_working_within_the_cache_bound(db_url: str, make_key: KeyMaker) -> None:
    key = make_key("viewer")
    bound = 1.0
    with live_server(db_url, key_cache_seconds=bound) as server, server.client(key) as client:
        assert client.post("/graphql", json=DOMAINS).status_code == 200
        asyncio.run(_revoke_all(db_url))
        revoked_at = time.monotonic()
        while (response := client.post("/graphql", json=DOMAINS)).status_code == 200:
            assert time.monotonic() - revoked_at < bound + 0.5, "the revoked key outlived the cache bound"
            time.sleep(0.05)
    assert response.status_code == 401
    # Plain: neither the key's name nor when it was revoked.
    assert response.json()["errors"][0]["message"] == "Unknown or revoked API key"


def test_several_authorization_headers_are_a_400(server: LiveServer, make_key: KeyMaker) -> None:
    viewer, admin = make_key("viewer"), make_key("admin")
    headers = [("Authorization", f"Bearer {viewer}"), ("Authorization", f"Bearer {admin}")]
    with server.client() as client:
        response = client.post("/graphql", json=DOMAINS, headers=headers)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "one Authorization header" in error["message"]


def test_without_a_cache_a_revocation_is_immediate(db_url: str, make_key: KeyMaker) -> None:
    key = make_key("viewer")
    with live_server(db_url, key_cache_seconds=0) as server, server.client(key) as client:
        assert client.post("/graphql", json=DOMAINS).status_code == 200
        asyncio.run(_revoke_all(db_url))
        assert client.post("/graphql", json=DOMAINS).status_code == 401


def test_a_known_key_is_not_looked_up_again_within_the_bound(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client(make_key("analyst")) as client:
        client.post("/graphql", json=DOMAINS)
        server.counter.reset()
        assert client.post("/graphql", json=DOMAINS).status_code == 200
    assert not [s for s in server.counter.statements if "api_keys" in s], server.counter.statements


def test_a_used_key_records_when_it_was_last_used(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    key = make_key("analyst")
    with server.client(key) as client:
        assert client.post("/graphql", json=DOMAINS).json() == {"data": {"domains": {"totalCount": 0}}}

    async def last_used() -> object:
        connection = await asyncpg.connect(db_url)
        try:
            return await connection.fetchval("SELECT last_used_at FROM api_keys")
        finally:
            await connection.close()

    assert asyncio.run(last_used()) is not None


def test_the_database_stores_only_the_hash_of_a_key(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    key = make_key("admin")

    async def stored() -> list[str]:
        connection = await asyncpg.connect(db_url)
        try:
            row = await connection.fetchrow("SELECT * FROM api_keys")
            return [str(value) for value in row.values()]
        finally:
            await connection.close()

    assert all(key not in value for value in asyncio.run(stored()))


def test_ingest_keys_cannot_read_the_graph(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client(make_key("ingest")) as client:
        read = client.post("/graphql", json=DOMAINS)
        typename = client.post("/graphql", json={"query": "{ __typename }"})
    assert read.status_code == 403
    assert read.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "ingest" in read.json()["errors"][0]["message"]
    assert typename.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("role", ["viewer", "connector", "analyst", "admin"])
def test_every_reading_role_can_query(server: LiveServer, make_key: KeyMaker, role: str) -> None:
    with server.client(make_key(role)) as client:
        response = client.post("/graphql", json=DOMAINS)
    assert response.json() == {"data": {"domains": {"totalCount": 0}}}
