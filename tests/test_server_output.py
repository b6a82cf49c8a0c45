"""Runs last (tests/conftest.py): greps everything the servers of the whole run logged, as production
writes it, for personal data, keys, variable values and tracebacks of expected errors."""

import asyncio
import re

import asyncpg

from tests.conftest import KeyMaker
from tests.live import LiveServer
from tests.server_output import OUTPUT

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
PHONE = re.compile(r"\+55[\d\s()-]{8,}")
KEY = re.compile(r"rst_[A-Za-z0-9_-]{16,}")
PLANTED = "maria.planted@example.com.br"


def plant(server: LiveServer, make_key: KeyMaker, db_url: str) -> None:
    """Requests whose variables hold personal data, ending as refusals and as an unexpected error."""
    key = make_key("admin")
    filtered = "query Q($f: LeadFilter) { leads(filter: $f) { totalCount } }"
    with server.client(key) as client:
        client.post(
            "/graphql",
            json={"query": "query Q($id: ID!) { node(id: $id) { id } }", "variables": {"id": PLANTED}},
        )
        client.post(
            "/graphql",
            json={"query": filtered, "variables": {"f": {"utmSource": {"eq": PLANTED}, "score": {"eq": 7}}}},
        )

    async def break_table() -> None:
        connection = await asyncpg.connect(db_url)
        await connection.execute("ALTER TABLE leads RENAME COLUMN lead_score TO score_gone")
        await connection.close()

    asyncio.run(break_table())
    with server.client(key) as client:
        masked = client.post(
            "/graphql",
            json={
                "query": filtered,
                "variables": {"f": {"utmSource": {"eq": PLANTED}, "score": {"eq": "+55 11 98765-4321"}}},
            },
        )
    assert masked.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    with server.client("rst_" + "x" * 40) as stranger:
        assert stranger.post("/graphql", json={"query": "{ __typename }"}).status_code == 401


def test_the_server_output_of_the_whole_run_holds_no_personal_data_keys_or_expected_tracebacks(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    plant(server, make_key, db_url)
    records = OUTPUT.records()
    assert any(record.get("exc_info") for record in records), "the unexpected error was not captured"
    for record in records:
        line = str(record)
        assert not EMAIL.search(line), line
        assert not PHONE.search(line), line
        assert not KEY.search(line), line
        assert "[parameters:" not in line, line
        if record.get("exc_info"):
            # Only the unexpected get a traceback; an expected error (a refusal, an outage) is one line.
            assert record["level"] in ("ERROR", "CRITICAL"), line
