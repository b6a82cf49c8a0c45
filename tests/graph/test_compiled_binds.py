"""The compiled statement runs only with values it has checked, and takes exactly the ones it uses: arguments
of a connection that reads no row (only `__typename`) are checked, not sent; an integer key out of its
column's range is refused first. Both failed in asyncpg and fell back to Python; a fallback that still
happens is logged and counted."""

import base64
import logging
from typing import Any

import orjson
import pytest

from resolvers.compiled.plan import Plan
from tests.conftest import key_maker
from tests.graph.test_compiled_reads import Pair, both, pair  # noqa: F401 (the fixture)
from tests.live import live_server
from tests.metrics_text import scrape, value
from tests.sql import rows

TOKEN = "scrape-secret"
# Each connection reads no row, with the arguments its SQL would compare columns to.
NO_ROWS = [
    "query($domain: UUID!) { landingPages(domainId: $domain) { __typename } }",
    "query($domain: UUID!) { visitorJourneys(domainId: $domain, converted: true) { __typename } }",
    '{ offers(productId: 1, code: "x", isActive: true) { __typename } }',
    '{ marketingCosts(source: "google", medium: "cpc", campaign: "won") { __typename } }',
    '{ products(platform: "hotmart") { __typename } }',
    '{ customers(email: "ana@exemplo.com.br") { __typename } }',
    '{ leads(filter: {score: {eq: "A"}}, orderBy: [{field: UPDATED_AT, direction: ASC}]) { __typename } }',
    '{ transactions(filter: {platform: {in: ["hotmart", "kiwify"]}}, last: 2) { __typename } }',
    '{ sessions(first: 2) { nodes { events(eventType: "page_view") { __typename } } } }',
    '{ leads(first: 2) { nodes { stages(stageName: "won", first: 1) { __typename } } } }',
]


def compiled_failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "rastro.compiled"]


def test_connections_reading_no_row_are_answered_by_their_statement(
    pair: Pair,  # noqa: F811
    seeded_db_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="rastro.compiled")
    domain = str(rows(seeded_db_url, "SELECT domain_id FROM domains ORDER BY 1 LIMIT 1")[0][0])
    for query in NO_ROWS:
        variables = {"domain": domain} if "$domain" in query else {}
        answer, compiled = both(pair, "analyst", query, **variables)
        body = orjson.loads(answer)
        assert compiled and "errors" not in body and body["data"], (query, body)
        assert compiled_failures(caplog) == [], query


def test_a_wrong_cursor_is_refused_before_any_statement_runs(
    pair: Pair,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="rastro.compiled")
    fast, _, keys, _ = pair
    with fast.client(keys["analyst"]) as client:
        found = client.post("/graphql", json={"query": "{ domains(first: 1) { pageInfo { endCursor } } }"})
    cursor = found.json()["data"]["domains"]["pageInfo"]["endCursor"]
    query = "query($cursor: String) { landingPages(after: $cursor) { __typename } }"
    answer, _ = both(pair, "analyst", query, cursor=cursor)
    assert orjson.loads(answer)["errors"][0]["path"] == ["landingPages"]
    assert compiled_failures(caplog) == []


# Integer keys past bigint: asyncpg refused to send them (DataError) and the Python path answered a masked
# internal error; both now refuse the id before any statement runs.
HUGE_KEYS = [
    ("customer", "Customer:9223372036854775808"),
    ("customer", "Customer:-9223372036854775809"),
    ("transaction", "Transaction:99999999999999999999"),
    ("node", "Customer:99999999999999999999"),
]


@pytest.mark.parametrize(("root", "raw"), HUGE_KEYS)
def test_a_global_id_past_its_key_column_is_refused_on_both_paths(
    pair: Pair,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    root: str,
    raw: str,
) -> None:
    caplog.set_level(logging.WARNING, logger="rastro.compiled")
    global_id = base64.b64encode(raw.encode()).decode()
    answer, _ = both(pair, "analyst", f"query($id: ID!) {{ {root}(id: $id) {{ __typename }} }}", id=global_id)
    error = orjson.loads(answer)["errors"][0]
    assert error["message"] == f"Argument 'id' is not a valid global id: {global_id!r}", error
    assert error["path"] == [root] and error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert compiled_failures(caplog) == []


def test_a_failing_compiled_statement_is_logged_counted_and_answered_in_python(
    seeded_db_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.WARNING, logger="rastro.compiled")
    query = {"query": "{ domains(first: 2) { nodes { domainName } } }"}
    key = key_maker(seeded_db_url)("viewer")
    with live_server(seeded_db_url, metrics_token=TOKEN) as live, live.client(key) as client:
        expected = client.post("/graphql", json=query).content
        bind = Plan.bind

        def one_too_many(plan: Plan, *args: Any) -> tuple[str, list[Any]]:
            sql, params = bind(plan, *args)
            return sql, [*params, 1]  # asyncpg refuses it: InterfaceError, as a wrong bind would

        monkeypatch.setattr(Plan, "bind", one_too_many)
        before = value(scrape(client, TOKEN), "rastro_compiled_fallbacks_total", error="InterfaceError")
        assert client.post("/graphql", json=query).content == expected
        after = value(scrape(client, TOKEN), "rastro_compiled_fallbacks_total", error="InterfaceError")
    assert after - before == 1  # run once: the Python path answered without trying it again
    assert "a compiled query failed (InterfaceError); it runs in Python" in compiled_failures(caplog)
