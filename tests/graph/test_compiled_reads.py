"""The compiled path and the Python path give byte-identical answers: hand-picked reads and generated ones.

Two servers on one database: one compiles what it can (the default), the other runs every query in Python
(RASTRO_COMPILED_READS=false). Small pages and depth keep the Python side quick on generated queries.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from graphql import REMOVE, ArgumentNode, Visitor, parse, print_ast, visit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from schema.schema import schema, sdl
from tests.conftest import key_maker
from tests.live import LiveServer, live_server
from tests.sql import rows

SDL = sdl()
# One root field per generated query, so that one field the compiler leaves to Python spoils no others.
# Reports are compared in tests/analytics/test_compiled_reports.py: their dataAsOf is when they were read.
ROOT_FIELDS = sorted(
    set(schema.as_str() and schema._schema.query_type.fields) - {"analytics"}  # type: ignore[union-attr]
)
LIMITS = {"default_page_size": 4, "max_page_size": 6}
Pair = tuple[LiveServer, LiveServer, dict[str, str], dict[str, list[str]]]


@pytest.fixture
def pair(seeded_db_url: str) -> Iterator[Pair]:
    make = key_maker(seeded_db_url)
    keys = {role: make(role) for role in ("analyst", "viewer")}
    ids = {
        "uuid": [
            str(r[0])
            for table, column in (
                ("domains", "domain_id"),
                ("leads", "lead_id"),
                ("landing_pages", "page_id"),
            )
            for r in rows(seeded_db_url, f"SELECT {column} FROM {table} ORDER BY {column} LIMIT 8")
        ],
        "domain": [r[0] for r in rows(seeded_db_url, "SELECT domain_name FROM domains ORDER BY 1")],
        "lead": [
            str(r[0]) for r in rows(seeded_db_url, "SELECT lead_id FROM lead_stages GROUP BY 1 LIMIT 3")
        ],
    }
    with (
        live_server(seeded_db_url, **LIMITS) as fast,
        live_server(seeded_db_url, compiled_reads=False, **LIMITS) as python,
    ):
        yield fast, python, keys, ids


def both(pair: Pair, role: str, query: str, **variables: Any) -> tuple[bytes, bool]:
    """Both answers must be the same bytes; says whether the compiled path answered."""
    fast, python, keys, _ = pair
    body = {"query": query, "variables": variables}
    with fast.client(keys[role]) as client:
        client.post("/graphql", json=body)  # the first time a document runs, it is compiled
        fast.counter.reset()
        compiled_answer = client.post("/graphql", json=body).content
    with python.client(keys[role]) as client:
        python_answer = client.post("/graphql", json=body).content
    assert compiled_answer == python_answer, (query, variables)
    statements = fast.counter.statements
    compiled = len(statements) == 1 and statements[0].startswith("SELECT row_to_json(")
    if fast.app.state.compiled.known(query, None) is None:
        assert not compiled
    return compiled_answer, compiled


JOURNEY = """query($domain: String!) { domain(domainName: $domain) { __typename id domainName createdAt
  metadataJson
  landingPages(first: 5) { totalCount nodes { pageId pageName isControl
    sessionsStarted(first: 5) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { sessionId startedAt totalPageViews
        utmTrackings { nodes { utmSource gclid clientIp userAgent urlParams } }
        pageViews(first: 3) { nodes { viewOrder timeOnPage landingPage { pageName } session { sessionId } } }
        events(first: 3, eventType: "click") { nodes { eventType eventLabel eventData createdAt } }
        leads { nodes { leadId email name phone leadScore isBusinessEmail
          stages(first: 3) { nodes { stageName stageValue probability createdAt } }
          offlineConversions { nodes { conversionName conversionValue conversionDate syncStatusJson
            platformSyncLogs { nodes { platform syncStatus httpStatusCode requestPayload } } } } } } } } } } } } }"""
LEAD = """query($id: UUID!) { lead(leadId: $id) { leadId email leadScore
  stages { nodes { stageName stageValue createdAt } } } }"""
ROOTS = """{ domains(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { domainName } }
  sessions(last: 3) { pageInfo { hasPreviousPage startCursor } edges { cursor node { id sessionId } } }
  leads(first: 2) { nodes { leadId email } } offlineConversions(first: 2) { nodes { conversionId } }
  transactions(first: 3) { nodes { internalId transactionId offerPrice orderDate status { code }
    customer { customerId name hashedEmail } items { nodes { quantity unitPrice product { name } } }
    payments { nodes { paymentMethod paymentType value metadata } } } }
  customers(first: 2) { nodes { customerId email } } products(first: 2) { nodes { productId name } }
  offers(isActive: true, first: 2) { nodes { offerId internalId price } }
  marketingCosts(first: 2) { nodes { costId costDate cost } }
  visitorJourneys(first: 2) { nodes { journeyId domain { domainName } } } }"""


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_hand_picked_reads_are_compiled_and_identical(pair: Pair, role: str) -> None:
    _, _, _, ids = pair
    answer, compiled = both(pair, role, JOURNEY, domain=ids["domain"][0])
    assert compiled
    assert b'"sessionId"' in answer and b'"leadId"' in answer  # the journey really reaches leads
    for lead_id in ids["lead"]:
        assert both(pair, role, LEAD, id=lead_id)[1]
    # No jsonb or float in the lead: its answer is PostgreSQL's JSON text as it is, the same bytes still.
    lead_plan, journey_plan = (pair[0].app.state.compiled.known(q, None) for q in (LEAD, JOURNEY))
    assert lead_plan.compact and not journey_plan.compact
    assert both(pair, role, ROOTS)[1]


CONVERSIONS = """{ offlineConversions(first: 6) { nodes { conversionId conversionValue syncStatusJson
  lead { leadId stages(first: 2) { nodes { stageName createdAt } } } } } }"""


def test_a_read_whose_only_jsonb_holds_strings_is_sent_as_postgresql_wrote_it(pair: Pair) -> None:
    answer, compiled = both(pair, "analyst", CONVERSIONS)
    assert compiled and b'"syncStatusJson":{"' in answer and b'": "' not in answer
    # syncStatusJson's check constraint admits only strings: its compact text in SQL is orjson's.
    assert pair[0].app.state.compiled.known(CONVERSIONS, None).compact


def test_paging_with_cursors_both_ways_is_identical(pair: Pair) -> None:
    page = """query($first: Int, $after: String, $last: Int, $before: String) {
      sessions(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { sessionId startedAt } } } }"""
    import orjson

    answer, compiled = both(pair, "analyst", page, first=3)
    assert compiled
    info = orjson.loads(answer)["data"]["sessions"]["pageInfo"]
    forward = both(pair, "analyst", page, first=3, after=info["endCursor"])[0]
    end = orjson.loads(forward)["data"]["sessions"]["pageInfo"]["endCursor"]
    assert both(pair, "analyst", page, last=2, before=end)[1]
    # Mistakes are the Python path's errors, word for word.
    assert b"errors" in both(pair, "analyst", page, first=3, last=2)[0]
    assert b"errors" in both(pair, "analyst", page, first=500)[0]
    assert b"errors" in both(pair, "analyst", page, after="bm9wZQ")[0]


BY_GLOBAL_ID = """query($t: ID, $c: ID) { transaction(id: $t) { id internalId transactionId }
  customer(id: $c) { id customerId } }"""
BY_OWN_KEY = """query($t: Int, $c: Int) { transaction(internalId: $t) { id internalId transactionId }
  customer(customerId: $c) { id customerId } }"""


def test_lookups_take_the_global_id_that_id_fields_give(pair: Pair) -> None:
    import orjson

    listed = both(
        pair, "analyst", "{ transactions(first: 1) { nodes { id internalId customer { id customerId } } } }"
    )
    (node,) = orjson.loads(listed[0])["data"]["transactions"]["nodes"]
    found, compiled = both(pair, "analyst", BY_GLOBAL_ID, t=node["id"], c=node["customer"]["id"])
    assert compiled
    by_key = both(pair, "analyst", BY_OWN_KEY, t=node["internalId"], c=node["customer"]["customerId"])[0]
    assert found == by_key
    assert orjson.loads(found)["data"]["customer"] == node["customer"]
    # A customer's id where a transaction's is due, or no global id at all: the caller's mistake, named.
    transaction, customer = node["id"], node["customer"]["id"]
    for wrong in (
        {"t": customer, "c": customer},
        {"t": transaction, "c": transaction},
        {"t": "no", "c": customer},
    ):
        (error,) = orjson.loads(both(pair, "analyst", BY_GLOBAL_ID, **wrong)[0])["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "'id'" in error["message"], error
    (error,) = orjson.loads(both(pair, "analyst", BY_GLOBAL_ID, t=customer, c=customer)[0])["errors"]
    assert "global id of a Customer, not of a Transaction" in error["message"]


def scalar_values(ids: dict[str, list[str]]) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "UUID": st.sampled_from(ids["uuid"]).map(nodes.String),
        "DateTime": st.sampled_from(["2020-01-01T00:00:00+00:00", "2030-01-01T00:00:00+00:00"]).map(
            nodes.String
        ),
        "Date": st.sampled_from(["2020-01-01", "2030-01-01"]).map(nodes.String),
        "Decimal": st.sampled_from(["1.00", "99.90"]).map(nodes.String),
        "JSON": st.just(nodes.String("{}")),
    }


class WithoutPaging(Visitor):
    def enter_argument(self, node: ArgumentNode, *_args: Any) -> object:
        return REMOVE if node.name.value in ("first", "last", "after", "before") else None


def generated(examples: int) -> Any:
    """Settings of the generated differential tests: derandomized, as they assert shares of their draws."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )


def test_generated_queries_over_the_whole_schema_are_identical(pair: Pair) -> None:
    counts = {"compiled": 0, "all": 0}

    @generated(120)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        root = data.draw(st.sampled_from(ROOT_FIELDS))
        query = str(
            data.draw(queries(SDL, fields=[root], custom_scalars=scalar_values(pair[3]), allow_x00=False))
        )
        if data.draw(st.booleans()):
            query = print_ast(
                visit(parse(query), WithoutPaging())
            )  # random page arguments are mostly refused
        role = data.draw(st.sampled_from(["analyst", "viewer"]))
        _, compiled = both(pair, role, query)
        counts["all"] += 1
        counts["compiled"] += compiled

    check()
    # The comparison means something only if many generated queries really took the compiled path.
    assert counts["compiled"] >= counts["all"] // 6, counts
