"""A document's cost is measured before it runs, and every limit guarding the graph has a test that fails
without it: cost (fields, nodes), depth, aliases, tokens, nodes(ids:), masking of unexpected errors."""

import asyncio
import base64

import asyncpg

from tests.conftest import KeyMaker
from tests.live import LiveServer, live_server
from tests.server.test_public_requests import fragment_chain

THREE_NESTED = """{ domains(first: 100) { nodes { landingPages(first: 100) { nodes {
  sessionsStarted(first: 100) { nodes { sessionId } } } } } } }"""


def first_error(server: LiveServer, key: str, query: str, **variables: object) -> dict[str, object]:
    with server.client(key) as client:
        body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" in body, body
    error: dict[str, object] = body["errors"][0]
    return error


def test_nested_page_sizes_multiply_and_are_refused_before_any_sql(
    server: LiveServer, make_key: KeyMaker
) -> None:
    key = make_key("viewer")
    with server.client(key) as client:
        client.post("/graphql", json={"query": "{ __typename }"})  # the key lookup, before counting
        server.counter.reset()
        body = client.post("/graphql", json={"query": THREE_NESTED}).json()
    assert server.counter.count == 0  # nothing ran
    error = body["errors"][0]
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 1_010_100, "limit": 500_000}
    assert error["message"] == (
        "'anonymous' may cost 1,010,100 nodes (page sizes multiplied through nested connections); "
        "the limit is 500,000: ask for smaller pages (first/last) or fewer nested connections"
    )
    two_nested = THREE_NESTED.replace("sessionsStarted(first: 100) { nodes { sessionId } }", "pageName")
    with server.client(key) as client:
        assert client.post("/graphql", json={"query": two_nested}).json() == {
            "data": {"domains": {"nodes": []}}
        }


def test_omitted_and_variable_page_sizes_count_as_default_and_largest(
    db_url: str, make_key: KeyMaker
) -> None:
    with live_server(db_url, max_query_nodes=2_000) as server:
        key = make_key("viewer")
        omitted = "{ domains { nodes { landingPages { nodes { pageName } } } } }"  # 50 + 50 * 50
        variable = """query Q($n: Int) {
          domains(first: $n) { nodes { landingPages(first: $n) { nodes { pageName } } } } }"""
        assert first_error(server, key, omitted)["extensions"] == {
            "code": "QUERY_TOO_COMPLEX", "cost": 2_550, "limit": 2_000
        }  # fmt: skip
        # Whatever $n holds (1 here), it may hold 100: 100 + 100 * 100.
        assert first_error(server, key, variable, n=1)["extensions"] == {
            "code": "QUERY_TOO_COMPLEX", "cost": 10_100, "limit": 2_000
        }  # fmt: skip
        fine = "{ domains(first: 10) { nodes { landingPages(first: 10) { nodes { pageName } } } } }"
        with server.client(key) as client:
            assert "errors" not in client.post("/graphql", json={"query": fine}).json()


def test_fields_once_fragments_are_expanded_are_counted_without_expanding(
    server: LiveServer, make_key: KeyMaker
) -> None:
    document = fragment_chain(60, "query Bomb { domains { nodes { ...F0 } } }", "Domain")
    error = first_error(server, make_key("viewer"), document)
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 2**60 + 2, "limit": 2_000}
    assert f"'Bomb' may cost {2**60 + 2:,} fields once fragments are expanded; the limit is 2,000" in str(
        error["message"]
    )


def test_depth_limit(server: LiveServer, make_key: KeyMaker) -> None:
    deep = "{ domains { nodes { landingPages { nodes { sessions { nodes { leads { nodes { stages { nodes {"
    deep += " lead { session { domain { landingPages { nodes { pageName } } } } } } } } } } } } } } } }"
    error = first_error(server, make_key("viewer"), deep)
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert "exceeds maximum operation depth of 12" in str(error["message"])


def test_alias_and_token_limits(server: LiveServer, make_key: KeyMaker) -> None:
    key = make_key("viewer")
    aliases = first_error(server, key, "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }")
    assert aliases["message"] == "31 aliases found. Allowed: 30"
    tokens = first_error(server, key, "{ " + "__typename " * 5_001 + "}")
    assert tokens["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
    assert "5000 tokens" in str(tokens["message"])


def test_nodes_ids_cap(server: LiveServer, make_key: KeyMaker) -> None:
    ids = [base64.b64encode(f"Domain:{i}".encode()).decode() for i in range(101)]
    error = first_error(
        server, make_key("viewer"), "query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=ids
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "ids"}
    assert error["message"] == "Argument 'ids' may hold at most 100 ids, got 101"


def test_unexpected_errors_in_async_resolvers_are_masked(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    async def break_table() -> None:
        connection = await asyncpg.connect(db_url)
        await connection.execute("ALTER TABLE leads RENAME COLUMN lead_score TO score_gone")
        await connection.close()

    asyncio.run(break_table())
    # currentStage runs on the Python path: the leads resolver is async and fails in the database.
    query = "{ leads(first: 1) { nodes { currentStage { stageName } } } }"
    error = first_error(server, make_key("admin"), query)
    assert error == {
        "message": "Internal error: it was logged",
        "locations": [{"line": 1, "column": 3}],
        "path": ["leads"],
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }
