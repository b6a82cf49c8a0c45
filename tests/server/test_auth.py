"""API keys: what a client without, with a bad, or with a revoked key gets."""

import asyncio

import asyncpg
import pytest

from tests.conftest import KeyMaker
from tests.live import LiveServer

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
        ("Bearer rst_thisKeyWasNeverIssued", "Unknown API key"),
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


def test_a_revoked_key_stops_working(server: LiveServer, make_key: KeyMaker, db_url: str) -> None:
    key = make_key("viewer")
    with server.client(key) as client:
        assert client.post("/graphql", json=DOMAINS).status_code == 200

        async def revoke() -> None:
            connection = await asyncpg.connect(db_url)
            await connection.execute("UPDATE api_keys SET revoked_at = now()")
            await connection.close()

        asyncio.run(revoke())
        response = client.post("/graphql", json=DOMAINS)
    assert response.status_code == 401
    assert "was revoked" in response.json()["errors"][0]["message"]


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
