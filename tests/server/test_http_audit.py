"""graphql-http's audit of the GraphQL-over-HTTP spec: every MUST and SHOULD, with and without a key."""

import re
from pathlib import Path

from tests.conftest import KeyMaker
from tests.live import LiveServer
from tests.node_clients import run_node

DECISION = Path(__file__).parents[2] / "docs" / "decisions" / "graphql-over-http.md"


def test_every_must_and_should_passes_and_each_may_left_failing_is_explained(
    server: LiveServer, make_key: KeyMaker
) -> None:
    explained = set(
        re.findall(r"^- `([0-9A-F]{4})`", DECISION.read_text(encoding="utf-8"), flags=re.MULTILINE)
    )
    for key in (None, make_key("viewer")):
        results = run_node("audit.mjs", f"{server.base_url}/graphql", *([key] if key else []))
        assert len(results) > 40, results
        failed = {r["id"]: r for r in results if r["status"] != "ok"}
        required = [r for r in failed.values() if not r["name"].startswith("MAY")]
        assert required == [], required
        assert set(failed) <= explained, {i: failed[i] for i in set(failed) - explained}
