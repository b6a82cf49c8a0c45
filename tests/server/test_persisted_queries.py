"""Automatic persisted queries: Apollo Client as it ships, and what a hash may and may not stand for."""

import hashlib
import json

from tests.conftest import KeyMaker
from tests.live import LiveServer
from tests.node_clients import run_node

COUNT = "query Count { domains { totalCount } }"
NAMES = "query Names($n: Int) { domains(first: $n) { nodes { domainName } } }"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(query: str | None, digest: str) -> dict[str, object]:
    body: dict[str, object] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    return body if query is None else body | {"query": query}


def test_apollo_client_persisted_queries_work_unchanged(server: LiveServer, make_key: KeyMaker) -> None:
    key = make_key("admin")
    operations = [{"query": COUNT}, {"query": COUNT}, {"query": NAMES, "variables": {"n": 2}}]
    lines = run_node("apollo.mjs", f"{server.base_url}/graphql", key, json.dumps(operations))
    requests = [line["request"] for line in lines if "request" in line]
    results = [line["result"] for line in lines if "result" in line]
    assert results == [
        {"data": {"domains": {"__typename": "DomainConnection", "totalCount": 0}}},
        {"data": {"domains": {"__typename": "DomainConnection", "totalCount": 0}}},
        {"data": {"domains": {"__typename": "DomainConnection", "nodes": []}}},
    ]
    # Hash alone, not found; hash with query; then the hash alone is enough. Same for the next document.
    assert [(r["sentQuery"], r["status"]) for r in requests] == [
        (False, 400), (True, 200), (False, 200), (False, 400), (True, 200),
    ]  # fmt: skip
    assert {r["contentType"] for r in requests} == {"application/graphql-response+json"}
    assert requests[0]["hash"] == requests[1]["hash"] == requests[2]["hash"] != requests[3]["hash"]


def test_a_hash_runs_only_what_the_key_may_run(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client(make_key("admin")) as admin:
        assert admin.post("/graphql", json=persisted(COUNT, sha256(COUNT))).json() == {
            "data": {"domains": {"totalCount": 0}}
        }
    hash_only = persisted(None, sha256(COUNT))
    with server.client() as anonymous:
        refused = anonymous.post("/graphql", json=hash_only)
    with server.client(make_key("ingest")) as ingest:
        forbidden = ingest.post("/graphql", json=hash_only)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert forbidden.status_code == 403
    assert "data" not in refused.json() and "data" not in forbidden.json()


def test_wrong_hashes_and_unknown_ones_say_so(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client(make_key("admin")) as client:
        mismatch = client.post("/graphql", json=persisted(COUNT, sha256(COUNT + " ")))
        version = client.post(
            "/graphql",
            json={"query": COUNT, "extensions": {"persistedQuery": {"version": 2, "sha256Hash": "x"}}},
        )
        unknown = client.post("/graphql", json=persisted(None, sha256("{ __typename }")))
        after_mismatch = client.post("/graphql", json=persisted(None, sha256(COUNT + " ")))
    assert mismatch.status_code == 400
    assert mismatch.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "not the SHA-256 of the query" in mismatch.json()["errors"][0]["message"]
    assert version.status_code == 400
    assert "version: 1" in version.json()["errors"][0]["message"]
    # Under application/json a GraphQL error is a 200; the code is what clients look at.
    assert unknown.status_code == 200
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert after_mismatch.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
