"""Every error answer is JSON, with `errors[].extensions.code` from the one documented list."""

import re
from pathlib import Path
from typing import Any

import httpx

from resolvers.errors import Code
from tests import pg
from tests.conftest import KeyMaker
from tests.live import LiveServer, live_server

DECISION = Path(__file__).parents[2] / "docs" / "decisions" / "errors.md"
JSON = {"Content-Type": "application/json"}


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The one error of a JSON error answer (asserting it is one)."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert len(body["errors"]) == 1, body
    error: dict[str, Any] = body["errors"][0]
    assert error["extensions"]["code"] in set(Code), error
    return error


BAD_BODIES: list[tuple[bytes, str]] = [
    (b'{"query": "{ __typename \xff\xfe }"}', "UTF-8"),
    (b"42", "JSON object"),
    (b"null", "JSON object"),
    (b'"{ __typename }"', "JSON object"),
    (b"[" * 5000 + b"]" * 5000, "not valid JSON"),
    (b'{"query": ' * 3000 + b"1" + b"}" * 3000, "not valid JSON"),
    (b'{"query": "{ __typename }"', "not valid JSON"),
    (b"", "not valid JSON"),
    (b'[{"query": "{ __typename }"}, {"query": "{ __typename }"}]', "Batching is not supported"),
    (b'{"query": 42}', "'query' must be a string"),
    (b'{"query": "{ __typename }", "variables": [1]}', "'variables' must be an object"),
    (b'{"query": "{ __typename }", "extensions": "x"}', "'extensions' must be an object"),
    (b'{"query": "{ __typename }", "operationName": 1}', "'operationName' must be a string"),
    (b'{"variables": {}}', "No GraphQL query found"),
    (b'{"query": "query A { __typename }", "operationName": "B"}', 'Unknown operation named "B"'),
]


def test_bodies_that_are_no_graphql_request_get_a_400_naming_the_problem(
    server: LiveServer, make_key: KeyMaker
) -> None:
    for key in (make_key("admin"), None):
        with server.client(key) as client:
            for body, problem in BAD_BODIES:
                response = client.post("/graphql", content=body, headers=JSON)
                assert response.status_code == 400, (body[:60], key, response.text)
                error = error_of(response)
                assert error["extensions"]["code"] == "BAD_REQUEST"
                assert problem in error["message"], (body[:60], error["message"])


def test_wrong_media_type_and_method_get_json_errors(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client(make_key("admin")) as client:
        form = client.post("/graphql", content=b"query={__typename}", headers={"Content-Type": "text/plain"})
        latin = client.post(
            "/graphql",
            content=b'{"query":"{ __typename }"}',
            headers={"Content-Type": "application/json; charset=latin-1"},
        )
        get = client.get("/graphql", params={"query": "{ domains { totalCount } }"})
        put = client.put("/graphql", json={"query": "{ __typename }"})
    assert form.status_code == 415
    assert "application/json" in error_of(form)["message"]
    assert latin.status_code == 415
    assert "UTF-8" in error_of(latin)["message"]
    assert get.status_code == 405
    assert get.headers["allow"] == "GET, POST"
    assert error_of(get)["extensions"]["code"] == "BAD_REQUEST"
    assert put.status_code == 405
    assert error_of(put)["extensions"]["code"] == "BAD_REQUEST"


def test_documents_refused_by_parse_or_validation_say_which_step(
    server: LiveServer, make_key: KeyMaker
) -> None:
    cases = {
        "{ domains { totalCount }": ("GRAPHQL_PARSE_FAILED", "Syntax Error"),
        "{" * 3000 + "}" * 3000: ("GRAPHQL_PARSE_FAILED", "Syntax Error"),
        "{ " + "__typename " * 6000 + "}": ("GRAPHQL_PARSE_FAILED", "tokens"),
        "{ domains { noSuchField } }": ("GRAPHQL_VALIDATION_FAILED", "noSuchField"),
        "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }": (
            "GRAPHQL_VALIDATION_FAILED",
            "aliases",
        ),
        '{ domains(first: "ten") { totalCount } }': ("GRAPHQL_VALIDATION_FAILED", "Argument 'first'"),
    }
    with server.client(make_key("admin")) as client:
        for query, (code, words) in cases.items():
            response = client.post("/graphql", json={"query": query})
            assert response.status_code == 200, (query[:40], response.text)
            error = error_of(response)
            assert error["extensions"]["code"] == code, (query[:40], error)
            assert words in error["message"], (query[:40], error)
            assert "data" not in response.json()


def test_a_document_of_several_operations_needs_an_operation_name(
    server: LiveServer, make_key: KeyMaker
) -> None:
    query = "query A { domains { totalCount } } query B { __typename }"
    with server.client(make_key("admin")) as client:
        unnamed = client.post("/graphql", json={"query": query})
        named = client.post("/graphql", json={"query": query, "operationName": "B"})
    error = error_of(unnamed)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "operationName" in error["message"] and "A, B" in error["message"]
    assert named.json() == {"data": {"__typename": "Query"}}


def test_bad_variable_values_are_bad_user_input(server: LiveServer, make_key: KeyMaker) -> None:
    query = "query Page($first: Int) { domains(first: $first) { totalCount } }"
    with server.client(make_key("admin")) as client:
        wrong_type = client.post("/graphql", json={"query": query, "variables": {"first": "ten"}})
        too_big = client.post("/graphql", json={"query": query, "variables": {"first": 2**40}})
    for response in (wrong_type, too_big):
        error = error_of(response)
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert "$first" in error["message"]


def test_auth_errors_carry_their_codes_and_the_schema_is_open(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client() as client:
        missing = client.post("/graphql", json={"query": "{ domains { totalCount } }"})
        schema = client.post(
            "/graphql", json={"query": '{ __schema { queryType { name } } __type(name: "Domain") { name } }'}
        )
    with server.client(make_key("ingest")) as client:
        ingest = client.post("/graphql", json={"query": "{ domains { totalCount } }"})
    assert missing.status_code == 401
    assert error_of(missing)["extensions"]["code"] == "UNAUTHENTICATED"
    assert ingest.status_code == 403
    assert error_of(ingest)["extensions"]["code"] == "FORBIDDEN"
    assert schema.json() == {
        "data": {"__schema": {"queryType": {"name": "Query"}}, "__type": {"name": "Domain"}}
    }


def test_the_decision_lists_every_code_and_nothing_else() -> None:
    text = DECISION.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([A-Z_]+)` \|", text, flags=re.MULTILINE))
    assert listed == {code.value for code in Code}


def test_the_codes_in_the_source_are_from_the_list() -> None:
    root = Path(__file__).parents[2]
    known = {code.value for code in Code}
    for package in ("server", "resolvers", "schema"):
        for path in (root / package).rglob("*.py"):
            for code in re.findall(
                r"""["']code["']:\s*["']([A-Z_]+)["']""", path.read_text(encoding="utf-8")
            ):
                assert code in known, f"{path}: {code} is not in resolvers.errors.Code"


GRAPHQL_RESPONSE = "application/graphql-response+json"


def test_graphql_response_json_is_answered_with_its_status_codes(
    server: LiveServer, make_key: KeyMaker
) -> None:
    preferred = {"Accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"}
    query = {"query": "query Count { domains { totalCount } }"}
    with server.client(make_key("admin")) as client:
        # The second time, the compiled statement answers: the media type is the same.
        answers = [client.post("/graphql", json=query, headers=preferred) for _ in range(2)]
        parse = client.post("/graphql", json={"query": "{"}, headers=preferred)
        invalid = client.post("/graphql", json={"query": "{ nope }"}, headers=preferred)
        variables = client.post(
            "/graphql",
            json={"query": "query Q($n: Int!) { domains(first: $n) { totalCount } }", "variables": {}},
            headers=preferred,
        )
        legacy = client.post("/graphql", json={"query": "{"}, headers={"Accept": "application/json"})
        neither = client.post("/graphql", json=query, headers={"Accept": "text/csv"})
    for answer in answers:
        assert answer.status_code == 200
        assert answer.headers["content-type"] == GRAPHQL_RESPONSE
        assert answer.json() == {"data": {"domains": {"totalCount": 0}}}
    for refused, code in (
        (parse, "GRAPHQL_PARSE_FAILED"),
        (invalid, "GRAPHQL_VALIDATION_FAILED"),
        (variables, "BAD_USER_INPUT"),
    ):
        assert refused.status_code == 400, refused.text
        assert refused.headers["content-type"] == GRAPHQL_RESPONSE
        assert "data" not in refused.json()
        assert refused.json()["errors"][0]["extensions"]["code"] == code
    assert legacy.status_code == 200
    assert legacy.headers["content-type"] == "application/json"
    assert neither.status_code == 406
    assert GRAPHQL_RESPONSE in error_of(neither)["message"]


def test_unknown_paths_and_unexpected_failures_are_json_too(
    pg_url: str, db_url: str, make_key: KeyMaker
) -> None:
    key = make_key("admin")
    with live_server(db_url) as live, live.client(key) as client:
        missing = client.get("/no-such-path")
        pg.drop_database(pg_url, db_url.rsplit("/", 1)[1])
        # The key was never seen, so checking it needs the database, which is gone.
        gone = client.post("/graphql", json={"query": "{ __typename }"})
    assert missing.status_code == 404
    assert error_of(missing)["extensions"]["code"] == "BAD_REQUEST"
    assert gone.status_code >= 500
    error = error_of(gone)
    assert error["extensions"]["code"] in ("INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE")
    assert db_url.rsplit("/", 1)[1] not in gone.text
