"""What `rastro serve` writes is JSON lines, also for the loggers it drops: a logger left without a handler
would reach logging's last resort, which prints the message and its traceback as plain text."""

from pathlib import Path

import httpx

from tests.conftest import KeyMaker
from tests.served import serving

PLANTED = "maria.planted@example.com.br"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"


def test_expected_errors_leave_json_lines_only_and_no_traceback(
    db_url: str, make_key: KeyMaker, tmp_path: Path
) -> None:
    key = make_key("admin")
    with serving(tmp_path, env={"DATABASE_URL": db_url, "RASTRO_WORKERS": "1"}) as served:
        with httpx.Client(base_url=served.base_url, headers={"Authorization": f"Bearer {key}"}) as client:
            answer = client.post("/graphql", json={"query": NODE, "variables": {"id": PLANTED}})
            assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        served.stop()
        lines = served.log_lines()
    assert lines, "the server wrote nothing"
    assert [line for line in lines if "text" in line] == []  # every line is JSON
    assert not any(PLANTED in str(line) or "Traceback" in str(line) for line in lines)
