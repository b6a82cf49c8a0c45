"""Trusted documents: a key whose list is loaded runs only the operations of its manifest."""

import hashlib
import json
from pathlib import Path

from tests.conftest import KeyMaker
from tests.live import live_server
from tests.server.test_cli import rastro

COUNT = "query Count { domains { totalCount } }"
NAMES = "query Names { domains { nodes { domainName } } }"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apollo_manifest(path: Path, *operations: tuple[str, str]) -> Path:
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha256(body), "name": name, "type": "query", "body": body} for name, body in operations
        ],
    }
    path.write_text(json.dumps(manifest))
    return path


def hash_only(digest: str) -> dict[str, object]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


def test_a_key_with_a_list_runs_only_its_documents_until_it_is_cleared(
    db_url: str, make_key: KeyMaker, tmp_path: Path
) -> None:
    created = rastro("keys", "create", "--role", "analyst", "--name", "frontend", database_url=db_url)
    frontend = created.stdout.strip()
    other = make_key("analyst")
    manifest = apollo_manifest(tmp_path / "manifest.json", ("Count", COUNT))
    loaded = rastro("documents", "load", "frontend", str(manifest), database_url=db_url)
    assert loaded.returncode == 0, loaded.stderr
    assert "1 operations" in loaded.stdout
    listed = rastro("documents", "list", "frontend", database_url=db_url)
    assert f"{sha256(COUNT)}  Count" in listed.stdout

    count = {"data": {"domains": {"totalCount": 0}}}
    with live_server(db_url, key_cache_seconds=0) as live:
        with live.client(frontend) as client:
            assert client.post("/graphql", json={"query": COUNT}).json() == count
            # A worker that never saw the query finds it in the key's list by its hash.
            assert client.post("/graphql", json=hash_only(sha256(COUNT))).json() == count
            refused = client.post("/graphql", json={"query": NAMES})
            strict = client.post(
                "/graphql", json={"query": NAMES}, headers={"Accept": "application/graphql-response+json"}
            )
            taught = client.post("/graphql", json={"query": NAMES, **hash_only(sha256(NAMES))})
        with live.client(other) as client:
            assert "errors" not in client.post("/graphql", json={"query": NAMES}).json()
            # Another key's list is not a store of documents for everyone.
            assert (
                client.post("/graphql", json=hash_only(sha256(COUNT))).json()["errors"][0]["extensions"][
                    "code"
                ]
                == "PERSISTED_QUERY_NOT_FOUND"
            )
        for answer in (refused, taught):
            assert answer.status_code == 200
            assert "data" not in answer.json()
            assert answer.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
        assert strict.status_code == 400

        cleared = rastro("documents", "clear", "frontend", database_url=db_url)
        assert cleared.returncode == 0, cleared.stderr
        with live.client(frontend) as client:
            assert "errors" not in client.post("/graphql", json={"query": NAMES}).json()
    assert "no list" in rastro("documents", "list", "frontend", database_url=db_url).stdout


def test_a_manifest_is_checked_whole_before_anything_changes(db_url: str, tmp_path: Path) -> None:
    assert (
        rastro("keys", "create", "--role", "connector", "--name", "crm", database_url=db_url).returncode == 0
    )
    good = apollo_manifest(tmp_path / "good.json", ("Count", COUNT))
    assert rastro("documents", "load", "crm", str(good), database_url=db_url).returncode == 0

    wrong_hash = tmp_path / "wrong-hash.json"
    wrong_hash.write_text(json.dumps({sha256(COUNT): NAMES}))
    invalid = apollo_manifest(
        tmp_path / "invalid.json", ("Count", COUNT), ("Broken", "query Broken { nope }")
    )
    not_json = tmp_path / "not.json"
    not_json.write_text("{")
    cases = [
        (wrong_hash, "crm", "operation 1: its id"),
        (invalid, "crm", "operation 2 (Broken): Cannot query field 'nope'"),
        (not_json, "crm", "not JSON"),
        (good, "nobody", "no active API key named 'nobody'"),
    ]
    for manifest, key, message in cases:
        result = rastro("documents", "load", key, str(manifest), database_url=db_url)
        assert result.returncode == 2, (manifest.name, result.stdout)
        assert message in result.stderr, (manifest.name, result.stderr)
        assert "Traceback" not in result.stderr
    # The list loaded first is still the key's, whole.
    assert f"1 operations from {good}" in rastro("documents", "list", "crm", database_url=db_url).stdout
