"""The HTTP surface: health, readiness, GraphiQL, body and query limits, masked errors."""

import asyncio

import asyncpg

from tests import pg
from tests.conftest import KeyMaker
from tests.live import LiveServer, live_server


def test_healthz_and_readyz_on_a_migrated_database(server: LiveServer) -> None:
    with server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_readyz_is_503_until_migrations_are_at_head(pg_url: str) -> None:
    name = pg.unique_name("rastro_unmigrated")
    url = pg.create_database(pg_url, name)
    try:
        with live_server(url) as live, live.client() as client:
            assert client.get("/healthz").status_code == 200
            ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "migrations pending"
    finally:
        pg.drop_database(pg_url, name)


def test_readyz_is_503_when_the_database_is_gone(pg_url: str, db_url: str) -> None:
    with live_server(db_url) as live, live.client() as client:
        pg.drop_database(pg_url, db_url.rsplit("/", 1)[1])
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"


def test_a_body_over_the_limit_is_413(server: LiveServer, make_key: KeyMaker) -> None:
    padding = "#" + "x" * 1_100_000
    with server.client(make_key("admin")) as client:
        response = client.post("/graphql", json={"query": "{ __typename }" + padding})
    assert response.status_code == 413
    assert "limit" in response.json()["errors"][0]["message"]


def test_too_deep_or_too_many_aliases_are_refused(server: LiveServer, make_key: KeyMaker) -> None:
    key = make_key("admin")
    deep = "{ domains { " + "edges { node { __typename } } " * 1 + "}}"
    nested = '{ node(id: "x") { ... on Domain { id } } }'
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
    with server.client(key) as client:
        assert "errors" not in client.post("/graphql", json={"query": deep}).json()
        too_many = client.post("/graphql", json={"query": aliases}).json()
        bad_id = client.post("/graphql", json={"query": nested}).json()
    assert "aliases" in too_many["errors"][0]["message"].lower()
    assert "Argument 'id'" in bad_id["errors"][0]["message"]


def test_unexpected_errors_are_masked(server: LiveServer, make_key: KeyMaker, db_url: str) -> None:
    key = make_key("admin")

    async def break_table() -> None:
        connection = await asyncpg.connect(db_url)
        await connection.execute("ALTER TABLE domains RENAME COLUMN domain_name TO url_gone")
        await connection.close()

    asyncio.run(break_table())
    with server.client(key) as client:
        body = client.post("/graphql", json={"query": "{ domains { nodes { domainName } } }"}).json()
    message = body["errors"][0]["message"]
    assert message == "Internal error: it was logged"
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "url_gone" not in str(body)
