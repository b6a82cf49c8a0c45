"""Request ids in and out, and the one JSON log line per request, which carries no personal data."""

import json
import logging
import re
import time

import pytest
from pythonjsonlogger.json import JsonFormatter

from server.logs import log_config
from tests.conftest import KeyMaker
from tests.live import LiveServer
from tests.mutations.db import open_leads

UPDATE = """mutation Rename($input: UpdateLeadInput!) {
  updateLead(input: $input) { lead { leadId } errors { code } } }"""


def json_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    """The captured records as the server writes them (its JSON formatter)."""
    options = {k: v for k, v in log_config("info")["formatters"]["json"].items() if k != "()"}
    formatter = JsonFormatter(**options)
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_a_callers_request_id_is_returned_and_one_is_made_otherwise(server: LiveServer) -> None:
    with server.client() as client:
        given = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.42"})
        made = client.get("/healthz")
        unsafe = client.get("/healthz", headers={"X-Request-Id": "has spaces <script>"})
    assert given.headers["x-request-id"] == "lb-7f3a.42"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe.headers["x-request-id"])
    assert made.headers["x-request-id"] != unsafe.headers["x-request-id"]


def test_refused_requests_carry_an_id_too(server: LiveServer) -> None:
    with server.client("rst_not-a-key") as client:
        response = client.post(
            "/graphql", json={"query": "{ domains { totalCount } }"}, headers={"X-Request-Id": "r1"}
        )
    assert response.status_code == 401
    assert response.headers["x-request-id"] == "r1"


def test_one_json_line_per_request_without_personal_data(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker, caplog: pytest.LogCaptureFixture
) -> None:
    lead_id = str(open_leads(seeded_db_url)[0]["lead_id"])
    key = make_seeded_key("connector")
    personal = {
        "name": "Maria Aparecida Souza",
        "email": "maria.souza@example.com.br",
        "phone": "+55 11 98765-4321",
    }
    variables = {"input": {"leadId": lead_id, **personal}}
    with caplog.at_level(logging.DEBUG, logger="rastro"), seeded_server.client(key) as client:
        response = client.post(
            "/graphql", json={"query": UPDATE, "variables": variables}, headers={"X-Request-Id": "crm-sync-1"}
        )
        # The line is written once the response is sent: the client may see the response first.
        deadline = time.monotonic() + 10
        while not any(r.getMessage() == "request" for r in caplog.records) and time.monotonic() < deadline:
            time.sleep(0.02)
    assert response.status_code == 200 and response.json()["data"]["updateLead"]["errors"] == []
    lines = json_lines(caplog)
    (line,) = [entry for entry in lines if entry["message"] == "request"]
    assert line["request_id"] == "crm-sync-1"
    assert line["operation"] == "Rename"
    assert line["operation_type"] == "mutation"
    assert line["role"] == "connector"
    assert line["status"] == 200
    assert line["outcome"] == "ok"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert isinstance(line["statements"], int) and line["statements"] >= 2
    written = json.dumps(lines)
    for secret in [*personal.values(), "98765", "maria", lead_id, key]:
        assert secret.lower() not in written.lower()
