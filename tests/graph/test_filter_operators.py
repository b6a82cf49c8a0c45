"""Each filter operator on each value type returns exactly the rows SQL returns, over HTTP; and/or/not nest;
mistakes are BAD_USER_INPUT naming the place in the filter.

Values are picked from the seeded rows by SQL (a common score, a median price...), and the expected rows
are the same condition written by hand in SQL: the count, and the first page in the list's order.
"""

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import KeyMaker
from tests.graphql_http import gql
from tests.live import LiveServer
from tests.sql import fetch, fetch_one

SAMPLES = """SELECT
  (SELECT lead_score FROM leads WHERE lead_score IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
    AS score,
  (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY time_to_conversion) FROM leads) AS ttc,
  (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY created_at) FROM leads) AS lead_time,
  (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY offer_price) FROM transactions) AS price,
  (SELECT percentile_disc(0.3) WITHIN GROUP (ORDER BY order_date) FROM transactions) AS order_date,
  (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY total_page_views) FROM sessions) AS views,
  (SELECT visitor_id FROM sessions GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS visitor,
  (SELECT domain_id FROM sessions GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS domain,
  (SELECT upper(substr(utm_campaign, 2, 4)) FROM utm_tracking u JOIN leads l ON l.utm_tracking_id = u.tracking_id
    WHERE length(utm_campaign) > 6 ORDER BY 1 LIMIT 1) AS fragment,
  (SELECT array_agg(external_id ORDER BY external_id) FROM (SELECT external_id FROM leads
    WHERE external_id IS NOT NULL ORDER BY external_id LIMIT 3) e) AS externals,
  (SELECT array_agg(lead_id::text ORDER BY lead_id) FROM (SELECT lead_id FROM leads ORDER BY lead_id LIMIT 5) l)
    AS lead_ids,
  (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY conversion_value) FROM offline_conversions) AS value,
  (SELECT page_variant FROM landing_pages WHERE page_variant IS NOT NULL AND NOT is_control ORDER BY 1 LIMIT 1)
    AS variant,
  (SELECT array_agg(name ORDER BY name) FROM (SELECT name FROM products ORDER BY name LIMIT 2) p) AS products,
  (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY price) FROM offers) AS offer_price,
  (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY cost_date) FROM marketing_costs) AS cost_date,
  (SELECT source FROM marketing_costs GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS cost_source,
  (SELECT min(domain_name) FROM domains) AS domain_name
"""

ROOTS = {
    "leads": ("leads", "lead_id", "leadId", "created_at DESC, lead_id DESC"),
    "sessions": ("sessions", "session_id", "sessionId", "started_at DESC, session_id DESC"),
    "transactions": ("transactions", "id", "internalId", "order_date DESC, id DESC"),
    "offlineConversions": (
        "offline_conversions",
        "conversion_id",
        "conversionId",
        "conversion_date DESC, conversion_id DESC",
    ),
    "domains": ("domains", "domain_id", "domainId", "domain_name, domain_id"),
    "landingPages": ("landing_pages", "page_id", "pageId", "created_at, page_id"),
    "visitorJourneys": ("visitor_journeys", "journey_id", "journeyId", "last_visit_at DESC, journey_id DESC"),
    "products": ("products", "id", "productId", "id"),
    "offers": ("offers", "id", "internalId", "id"),
    "marketingCosts": ("marketing_costs", "id", "costId", "cost_date DESC, id DESC"),
}
UTM_OF_LEAD = "EXISTS (SELECT 1 FROM utm_tracking u WHERE u.tracking_id = t.utm_tracking_id AND {})"
Case = tuple[str, Callable[[dict[str, Any]], dict[str, Any]], str, Callable[[dict[str, Any]], list[Any]]]


def iso(value: Any) -> str:
    return str(value.isoformat())


CASES: list[Case] = [
    # String
    ("leads", lambda v: {"score": {"eq": v["score"]}}, "t.lead_score = $1", lambda v: [v["score"]]),
    ("leads", lambda v: {"score": {"ne": v["score"]}}, "t.lead_score <> $1", lambda v: [v["score"]]),
    (
        "leads",
        lambda v: {"externalId": {"in": v["externals"]}},
        "t.external_id = ANY($1::text[])",
        lambda v: [v["externals"]],
    ),
    ("leads", lambda v: {"externalId": {"isNull": True}}, "t.external_id IS NULL", lambda v: []),
    ("leads", lambda v: {"externalId": {"isNull": False}}, "t.external_id IS NOT NULL", lambda v: []),
    ("leads", lambda v: {"score": {"in": []}}, "false", lambda v: []),
    (
        "leads",
        lambda v: {"utmCampaign": {"contains": v["fragment"]}},
        UTM_OF_LEAD.format("u.utm_campaign ILIKE '%' || $1 || '%'"),
        lambda v: [v["fragment"]],
    ),
    (
        "sessions",
        lambda v: {"visitorId": {"eq": v["visitor"]}},
        "t.visitor_id = $1",
        lambda v: [v["visitor"]],
    ),
    # Int
    (
        "leads",
        lambda v: {"timeToConversion": {"eq": v["ttc"]}},
        "t.time_to_conversion = $1",
        lambda v: [v["ttc"]],
    ),
    (
        "leads",
        lambda v: {"timeToConversion": {"gt": v["ttc"]}},
        "t.time_to_conversion > $1",
        lambda v: [v["ttc"]],
    ),
    (
        "leads",
        lambda v: {"timeToConversion": {"lte": v["ttc"]}},
        "t.time_to_conversion <= $1",
        lambda v: [v["ttc"]],
    ),
    (
        "leads",
        lambda v: {"timeToConversion": {"isNull": False}},
        "t.time_to_conversion IS NOT NULL",
        lambda v: [],
    ),
    (
        "sessions",
        lambda v: {"totalPageViews": {"gte": v["views"], "lt": v["views"] + 3}},
        "t.total_page_views >= $1 AND t.total_page_views < $1 + 3",
        lambda v: [v["views"]],
    ),
    (
        "sessions",
        lambda v: {"totalPageViews": {"in": [v["views"], v["views"] + 1]}},
        "t.total_page_views IN ($1, $1 + 1)",
        lambda v: [v["views"]],
    ),
    # Decimal
    (
        "transactions",
        lambda v: {"offerPrice": {"gt": str(v["price"])}},
        "t.offer_price > $1",
        lambda v: [v["price"]],
    ),
    (
        "transactions",
        lambda v: {"offerPrice": {"lte": str(v["price"])}},
        "t.offer_price <= $1",
        lambda v: [v["price"]],
    ),
    (
        "transactions",
        lambda v: {"offerPrice": {"eq": str(v["price"])}},
        "t.offer_price = $1",
        lambda v: [v["price"]],
    ),
    (
        "offlineConversions",
        lambda v: {"conversionValue": {"gte": str(v["value"])}},
        "t.conversion_value >= $1",
        lambda v: [v["value"]],
    ),
    # DateTime
    (
        "leads",
        lambda v: {"created": {"lt": iso(v["lead_time"])}},
        "t.created_at < $1",
        lambda v: [v["lead_time"]],
    ),
    (
        "leads",
        lambda v: {"created": {"eq": iso(v["lead_time"])}},
        "t.created_at = $1",
        lambda v: [v["lead_time"]],
    ),
    (
        "transactions",
        lambda v: {"orderDate": {"gte": iso(v["order_date"])}},
        "t.order_date >= $1",
        lambda v: [v["order_date"]],
    ),
    # UUID
    (
        "leads",
        lambda v: {"leadId": {"in": v["lead_ids"]}},
        "t.lead_id::text = ANY($1::text[])",
        lambda v: [v["lead_ids"]],
    ),
    (
        "leads",
        lambda v: {"domainId": {"eq": str(v["domain"])}},
        "EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = t.session_id AND s.domain_id = $1)",
        lambda v: [v["domain"]],
    ),
    (
        "sessions",
        lambda v: {"domainId": {"eq": str(v["domain"])}},
        "t.domain_id = $1",
        lambda v: [v["domain"]],
    ),
    # Boolean
    ("leads", lambda v: {"isBusinessEmail": {"eq": True}}, "t.is_business_email", lambda v: []),
    ("sessions", lambda v: {"converted": {"eq": False}}, "NOT t.converted", lambda v: []),
    ("sessions", lambda v: {"converted": {"isNull": True}}, "t.converted IS NULL", lambda v: []),
    # and / or / not, and null handling under not
    (
        "leads",
        lambda v: {"or": [{"score": {"eq": v["score"]}}, {"timeToConversion": {"lt": v["ttc"]}}]},
        "(t.lead_score = $1 OR t.time_to_conversion < $2)",
        lambda v: [v["score"], v["ttc"]],
    ),
    (
        "leads",
        lambda v: {"not": {"score": {"eq": v["score"]}}},
        "NOT (t.lead_score = $1)",
        lambda v: [v["score"]],
    ),
    ("leads", lambda v: {"or": []}, "false", lambda v: []),
    # The other root lists
    (
        "domains",
        lambda v: {"domainName": {"ne": v["domain_name"]}},
        "t.domain_name <> $1",
        lambda v: [v["domain_name"]],
    ),
    (
        "landingPages",
        lambda v: {"pageVariant": {"eq": v["variant"]}, "isControl": {"eq": False}},
        "t.page_variant = $1 AND NOT t.is_control",
        lambda v: [v["variant"]],
    ),
    ("landingPages", lambda v: {"abTestId": {"isNull": False}}, "t.ab_test_id IS NOT NULL", lambda v: []),
    ("visitorJourneys", lambda v: {"totalSessions": {"gte": 2}}, "t.total_sessions >= 2", lambda v: []),
    (
        "products",
        lambda v: {"name": {"in": v["products"]}},
        "t.name = ANY($1::text[])",
        lambda v: [v["products"]],
    ),
    (
        "offers",
        lambda v: {"price": {"gt": str(v["offer_price"])}, "isActive": {"eq": True}},
        "t.price > $1 AND t.is_active",
        lambda v: [v["offer_price"]],
    ),
    (
        "marketingCosts",
        lambda v: {"costDate": {"gte": v["cost_date"].isoformat()}, "source": {"eq": v["cost_source"]}},
        "t.cost_date >= $1 AND t.source = $2",
        lambda v: [v["cost_date"], v["cost_source"]],
    ),
    (
        "leads",
        lambda v: {
            "and": [{"created": {"gte": iso(v["lead_time"])}}, {"not": {"externalId": {"isNull": True}}}],
            "or": [{"score": {"in": [v["score"]]}}, {"isBusinessEmail": {"eq": True}}],
        },
        "t.created_at >= $1 AND NOT (t.external_id IS NULL) AND (t.lead_score = $2 OR t.is_business_email)",
        lambda v: [v["lead_time"], v["score"]],
    ),
]

# Empty by design: an empty `in` or `or`, and a column that is never null.
EMPTY = ("false", "t.converted IS NULL")
PAGE = """query($filter: {filter}) {{ {root}(filter: $filter, first: 100) {{ totalCount nodes {{ {key} }} }} }}"""
FILTER_TYPES = {
    "leads": "LeadFilter",
    "sessions": "SessionFilter",
    "transactions": "TransactionFilter",
    "offlineConversions": "OfflineConversionFilter",
    "domains": "DomainFilter",
    "landingPages": "LandingPageFilter",
    "visitorJourneys": "VisitorJourneyFilter",
    "products": "ProductFilter",
    "offers": "OfferFilter",
    "marketingCosts": "MarketingCostFilter",
}


@pytest.fixture
def samples(seeded_db_url: str) -> dict[str, Any]:
    return fetch_one(seeded_db_url, SAMPLES)


@pytest.mark.parametrize(
    ("root", "graph_filter", "where", "args"), CASES, ids=[f"{c[0]}:{c[2][:40]}" for c in CASES]
)
def test_each_operator_returns_the_rows_sql_returns(
    seeded_server: LiveServer,
    make_seeded_key: KeyMaker,
    seeded_db_url: str,
    samples: dict[str, Any],
    root: str,
    graph_filter: Callable[[dict[str, Any]], dict[str, Any]],
    where: str,
    args: Callable[[dict[str, Any]], list[Any]],
) -> None:
    table, key_column, key_field, order = ROOTS[root]
    expected = fetch(
        seeded_db_url,
        f"SELECT t.{key_column} AS key, count(*) OVER () AS total FROM {table} t WHERE {where}"
        f" ORDER BY {order} LIMIT 100",
        *args(samples),
    )
    assert expected or where in EMPTY, "each operator is tested on rows that exist"
    query = PAGE.format(filter=FILTER_TYPES[root], root=root, key=key_field)
    body = gql(seeded_server, make_seeded_key("analyst"), query, filter=graph_filter(samples))
    assert "errors" not in body, body
    found = body["data"][root]
    assert found["totalCount"] == (expected[0]["total"] if expected else 0)
    assert [node[key_field] for node in found["nodes"]] == [
        r["key"] if isinstance(r["key"], int) else str(r["key"]) for r in expected
    ]


def first_error(server: LiveServer, key: str, query: str, **variables: Any) -> dict[str, Any]:
    body = gql(server, key, query, **variables)
    assert body.get("data") in (None, {}) or not any(body["data"].values()), body
    error: dict[str, Any] = body["errors"][0]
    return error


def test_an_in_list_over_the_limit_is_bad_user_input_naming_its_place(
    seeded_server: LiveServer, make_seeded_key: KeyMaker
) -> None:
    query = "query($f: LeadFilter) { leads(filter: $f) { totalCount } }"
    too_many = {"or": [{"score": {"eq": "A"}}, {"externalId": {"in": [str(i) for i in range(1001)]}}]}
    error = first_error(seeded_server, make_seeded_key("analyst"), query, f=too_many)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "filter.or[1].externalId.in"}
    assert "at most 1000 values, got 1001" in error["message"]


@pytest.mark.parametrize("amount", ["NaN", "-Infinity", "1E+100000"])
def test_a_decimal_postgresql_cannot_compare_is_bad_user_input(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, amount: str
) -> None:
    query = "query($f: TransactionFilter) { transactions(filter: $f) { totalCount } }"
    error = first_error(seeded_server, make_seeded_key("analyst"), query, f={"offerPrice": {"gt": amount}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "filter.offerPrice.gt"}
    assert "finite number" in error["message"]


def test_a_sort_key_given_twice_is_bad_user_input_naming_its_place(
    seeded_server: LiveServer, make_seeded_key: KeyMaker
) -> None:
    query = "{ leads(orderBy: [{field: CREATED_AT}, {field: CREATED_AT, direction: ASC}]) { totalCount } }"
    error = first_error(seeded_server, make_seeded_key("analyst"), query)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "orderBy[1].field"}
