"""Reports on the compiled path answer byte for byte as the Python path (RASTRO_COMPILED_READS=false).

Two servers on one seeded database: every report with every field of its rows, over several argument sets
(periods in three zones, domain, live, groupBy and filters), as analyst, admin and viewer (personal fields
null); aliases and fragments; and the errors, which keep coming from the Python path word for word.
"""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import pytest
from graphql import GraphQLObjectType

from schema.schema import schema
from server.analytics_csv import document
from tests.conftest import KeyMaker
from tests.live import LiveServer, live_server

# Their rows are computed in Python (attribution credits): the Python path answers them.
PYTHON_ONLY = {"attribution", "compareModels"}
TOTALS = {
    "transactionTotals": [
        {"groupBy": ["UTM_SOURCE", "AFFILIATE", "MONTH"]},
        {"groupBy": ["DAY"], "filter": {"platform": {"eq": "hotmart"}}},
        {"groupBy": ["UTM_CAMPAIGN", "UTM_CONTENT", "WEEK"], "filter": {"offerPrice": {"gt": "50"}}},
    ],
    "sessionTotals": [
        {"groupBy": ["UTM_CAMPAIGN", "WEEK"]},
        {"groupBy": ["MONTH", "UTM_SOURCE"], "filter": {"converted": {"eq": True}}},
        {"groupBy": ["UTM_MEDIUM", "DAY"], "filter": {"utmSource": {"eq": "google"}}, "live": True},
    ],
}
# Arguments besides the period; ids are those the seed always writes.
ARGUMENTS: dict[str, list[dict[str, Any]]] = {
    "campaignPerformance": [{}, {"live": True}, {"utmSource": "google"}],
    "landingPageFunnel": [{}, {"live": True}],
    "visitorTypes": [{}],
    "channelRoi": [{}, {"live": True}],
    "paymentFailures": [{"customerId": 12345}],
    "paymentSuccessRates": [{}],
    "supportTimeline": [{"internalId": 987654}, {"transactionId": "TX123456", "platform": "hotmart"}],
    "sourceMediumRoi": [{}, {"utmCampaign": "black_friday_2024"}],
    "adVariants": [{}],
    "touchJourneys": [{}],
    "affiliateCorrelation": [{}],
    "customerInvoices": [{"customerId": 12345}],
    "invoiceReconciliation": [{}],
    "invoiceAudit": [{}],
    "offerChanges": [{"offerId": "OFFER123"}],
    "transactionOffer": [{"transactionId": "TX987654"}],
    "offerVersions": [{"code": "BASICCOURSE"}],
    "transaction360": [{"transactionId": "TX123456"}],
    "attribution": [{"model": "TIME_DECAY", "groupBy": "CAMPAIGN"}],
    "compareModels": [{"groupBy": "SOURCE"}],
    "abTests": [{}, {"goal": "SALE", "minVisitors": 1}, {"minVisitors": 1, "live": True}],
    **TOTALS,
}
LIVE_AGE = re.compile(rb'"dataAsOf":"[^"]+","materialized":false')
Servers = tuple[LiveServer, LiveServer]


def analytics() -> GraphQLObjectType:
    kind = schema._schema.get_type("Analytics")
    assert isinstance(kind, GraphQLObjectType)
    return kind


def periods() -> list[dict[str, Any] | None]:
    """The whole seed, and periods of local days in three zones around the seed's recent weeks."""
    today = dt.date.today()
    recent = {
        "from": (today - dt.timedelta(days=60)).isoformat(),
        "to": (today - dt.timedelta(days=5)).isoformat(),
    }
    return [None, recent, {**recent, "timeZone": "Asia/Tokyo"}, {"timeZone": "UTC"}]


def argument_sets(name: str, with_periods: bool) -> list[dict[str, Any]]:
    takes_period = "period" in analytics().fields[name].args
    spans = periods() if with_periods and takes_period else [None]
    return [
        {**base, **({} if span is None else {"period": span})} for base in ARGUMENTS[name] for span in spans
    ]


@contextmanager
def both_paths(database: str) -> Iterator[Servers]:
    """A server on the compiled path and one on the Python path, on one database."""
    # Keys stay cached through the test: their lookups would count as statements of the request.
    with (
        live_server(database, key_cache_seconds=3600) as fast,
        live_server(database, compiled_reads=False) as python,
    ):
        yield fast, python


@pytest.fixture(scope="module")
def servers(report_db: str) -> Iterator[Servers]:
    with both_paths(report_db) as pair:
        yield pair


def both(servers: Servers, key: str, query: str, variables: dict[str, Any]) -> tuple[bytes, bool]:
    """Both answers, the same bytes (a live report's dataAsOf is when each was read); compiled or not."""
    fast, python = servers
    body = {"query": query, "variables": variables}
    with fast.client(key) as client:
        client.post("/graphql", json=body)  # the first time a document runs, it is compiled
        fast.counter.reset()
        compiled_answer = client.post("/graphql", json=body).content
    statements = list(fast.counter.statements)
    with python.client(key) as client:
        python_answer = client.post("/graphql", json=body).content
    mask = b'"dataAsOf":"(now)","materialized":false'
    assert LIVE_AGE.sub(mask, compiled_answer) == LIVE_AGE.sub(mask, python_answer), (query, variables)
    return compiled_answer, len(statements) == 1 and statements[0].startswith("SELECT row_to_json(")


def report_rows(answer: bytes, name: str) -> list[dict[str, Any]]:
    rows_: list[dict[str, Any]] = orjson.loads(answer)["data"]["analytics"][name]["rows"]
    return rows_


@pytest.mark.parametrize("role", ["analyst", "admin", "viewer"])
def test_every_report_and_row_field_is_identical(servers: Servers, report_keys: KeyMaker, role: str) -> None:
    key = report_keys(role)
    empty = set()
    for name in ARGUMENTS:
        answered = False
        # Periods and zones as an analyst; the other roles differ by personal data, not arguments.
        for variables in argument_sets(name, with_periods=role == "analyst"):
            query = document(name, analytics().fields[name], variables)
            answer, compiled = both(servers, key, query, variables)
            assert compiled == (name not in PYTHON_ONLY), (name, variables)
            answered = answered or bool(report_rows(answer, name))
        if not answered:
            empty.add(name)
        if name == "touchJourneys":
            emails = [row["email"] for row in report_rows(answer, name)]
            assert emails and all((email is None) == (role == "viewer") for email in emails)
    assert not empty, "no rows to compare"


def test_aliases_fragments_and_typenames_are_identical(servers: Servers, analyst: str) -> None:
    query = """query($p: ReportPeriod) { analytics { __typename
      audit: invoiceAudit { __typename zone: timeZone late: rows { ...Issue situation } }
      again: invoiceAudit(period: $p) { rows { when: orderDate ... on InvoiceIssue { value: transactionValue } } }
      journeys: touchJourneys(period: $p) { materialized rows { __typename customerId customerId ...Journey } }
      totals: transactionTotals(groupBy: [MONTH]) { rows { bucket count value } }
      sessions: sessionTotals(groupBy: [DAY, UTM_SOURCE]) { rows { ... { bucket n: count utmSource } } } } }
    fragment Issue on InvoiceIssue { transactionId platform issueDate }
    fragment Journey on TouchJourney { email touches conversionDate }"""
    answer, compiled = both(servers, analyst, query, {"p": periods()[2]})
    assert compiled
    data = orjson.loads(answer)["data"]["analytics"]
    assert data["audit"]["late"] and data["audit"]["zone"] == "America/Sao_Paulo"
    assert data["journeys"]["rows"][0]["__typename"] == "TouchJourney"


@pytest.mark.parametrize(
    ("role", "query", "variables"),
    [
        ("analyst", "query($p: ReportPeriod) { analytics { invoiceAudit(period: $p) { rows { platform } } } }",
         {"p": {"timeZone": "Mars/Olympus"}}),
        ("analyst", "query($p: ReportPeriod) { analytics { touchJourneys(period: $p) { timeZone } } }",
         {"p": {"from": "2026-02-01", "to": "2026-01-01"}}),
        ("analyst", "{ analytics { transactionTotals(groupBy: []) { rows { count } } } }", {}),
        ("analyst", "{ analytics { transactionTotals(groupBy: [DAY, WEEK]) { rows { count } } } }", {}),
        ("analyst", "{ analytics { sessionTotals(groupBy: [AFFILIATE]) { rows { count } } } }", {}),
        ("analyst", "{ analytics { abTests(minVisitors: 0) { rows { pValue } } } }", {}),
        ("analyst", '{ analytics { transaction360(internalId: 1, id: "VHJhbnNhY3Rpb246MQ==") { timeZone } } }', {}),
        ("viewer", '{ analytics { customerInvoices(customerEmail: "a@b.co") { rows { product } } } }', {}),
        ("viewer", '{ analytics { transactionTotals(groupBy: [DAY], filter: {customerEmail: "a@b.co"}) '
         "{ rows { count } } } }", {}),
        ("connector", "{ analytics { invoiceAudit { rows { platform } } } }", {}),
    ],
)  # fmt: skip
def test_errors_come_from_the_python_path(
    servers: Servers, report_keys: KeyMaker, role: str, query: str, variables: dict[str, Any]
) -> None:
    answer, compiled = both(servers, report_keys(role), query, variables)
    assert not compiled
    errors = orjson.loads(answer)["errors"]
    assert errors and errors[0]["extensions"]["code"] in ("BAD_USER_INPUT", "FORBIDDEN"), errors


@pytest.mark.parametrize(
    "path",
    [
        "/analytics/invoiceAudit.csv",
        "/analytics/touchJourneys.csv",
        "/analytics/transactionTotals.csv?groupBy=DAY",
        "/analytics/abTests.csv?goal=SALE&minVisitors=1",
    ],
)
def test_csv_exports_are_identical_and_compiled(servers: Servers, analyst: str, path: str) -> None:
    fast, python = servers
    with fast.client(analyst) as client:
        client.get(path)  # the first time a document runs, it is compiled
        fast.counter.reset()
        compiled = client.get(path)
    statements = list(fast.counter.statements)
    with python.client(analyst) as client:
        slow = client.get(path)
    assert compiled.status_code == slow.status_code == 200
    assert compiled.content == slow.content and compiled.content.count(b"\r\n") > 2
    assert len(statements) == 1 and statements[0].startswith("SELECT row_to_json(")
