"""Filters and multi-key orders give the same bytes on the compiled path and the Python path, page by page.

Filters are generated from each root's filter input type as the schema declares it (every operator input,
and/or/not nesting), with values drawn from the seeded rows, so that most of them match some rows.
"""

from typing import Any

import orjson
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
)
from hypothesis import given
from hypothesis import strategies as st

from schema.schema import schema
from tests.graph.test_compiled_reads import Pair, both, generated, pair  # noqa: F401 (the fixture)
from tests.sql import rows

GRAPH = schema._schema
# Root lists with a filter, the fields each page reads, and SQL giving real values of their columns.
ROOTS = {
    "leads": "leadId createdAt updatedAt leadScore externalId",
    "offlineConversions": "conversionId conversionDate conversionValue conversionName",
    "sessions": "sessionId startedAt totalPageViews converted",
    "transactions": "internalId orderDate offerPrice platform",
    "conversionDeliveries": "id conversionId status platform createdAt",
    "platformSyncLogs": "syncId platform syncStatus httpStatusCode",
    "integrationLogs": "logId status integrationType",
    "domains": "domainId domainName isActive",
    "landingPages": "pageId pageName pageVariant isControl createdAt",
    "visitorJourneys": "journeyId visitorId totalSessions lastVisitAt",
    "products": "productId name platform",
    "offers": "internalId code price isActive",
    "marketingCosts": "costId costDate cost source",
}
STRING_COLUMNS = [
    ("leads", "lead_score"),
    ("leads", "external_id"),
    ("utm_tracking", "utm_source"),
    ("utm_tracking", "utm_medium"),
    ("utm_tracking", "utm_campaign"),
    ("lead_stages", "stage_name"),
    ("offline_conversions", "conversion_name"),
    ("transactions", "platform"),
    ("transactions", "tracking_source"),
    ("sessions", "visitor_id"),
    ("transaction_statuses", "code"),
    ("integrations_log", "status"),
    ("integrations_log", "integration_type"),
    ("platform_utm_history", "utm_source"),
    ("platform_commission", "recipient_name"),
    ("platform_sale_offer_history", "code"),
    ("domains", "domain_name"),
    ("landing_pages", "page_name"),
    ("landing_pages", "page_variant"),
    ("products", "name"),
    ("offers", "code"),
    ("marketing_costs", "source"),
    ("marketing_costs", "campaign"),
]
SAMPLES = {
    "String": " UNION ".join(
        f"(SELECT DISTINCT {column}::text FROM {table} WHERE {column} IS NOT NULL LIMIT 4)"
        for table, column in STRING_COLUMNS
    ),
    "Int": """(SELECT DISTINCT total_page_views FROM sessions ORDER BY 1 LIMIT 12)
      UNION (SELECT id FROM products ORDER BY 1 LIMIT 4) UNION (SELECT total_sessions FROM visitor_journeys LIMIT 4)""",
    "Date": "SELECT DISTINCT cost_date::text FROM marketing_costs ORDER BY 1 LIMIT 20",
    "Decimal": """(SELECT DISTINCT offer_price::text FROM transactions ORDER BY 1 LIMIT 12)
      UNION (SELECT price::text FROM offers LIMIT 4) UNION (SELECT cost::text FROM marketing_costs LIMIT 4)""",
    "DateTime": """SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM (
      SELECT created_at AS t FROM leads UNION ALL SELECT started_at FROM sessions
      UNION ALL SELECT order_date FROM transactions UNION ALL SELECT conversion_date FROM offline_conversions
    ) s ORDER BY random() LIMIT 30""",
    "UUID": """SELECT v::text FROM (SELECT domain_id AS v FROM domains UNION ALL
      (SELECT lead_id FROM leads LIMIT 10) UNION ALL (SELECT conversion_id FROM offline_conversions LIMIT 10)) s""",
}


def value_of(kind: Any, pools: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    named = get_named_type(kind)
    if isinstance(named, GraphQLEnumType):
        return st.sampled_from(sorted(named.values))
    assert isinstance(named, GraphQLScalarType), named
    if named.name == "Boolean":
        return st.booleans()
    return st.sampled_from(pools[named.name])


def operator_input(kind: GraphQLInputObjectType, pools: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    options: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in kind.fields.items():
        inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if name == "isNull":
            options[name] = st.booleans()
        elif isinstance(inner, GraphQLList):
            options[name] = st.lists(value_of(inner, pools), max_size=4)
        elif name == "contains":
            options[name] = value_of(inner, pools).map(lambda text: text[1:4])
        else:
            options[name] = value_of(inner, pools)
    return st.sampled_from(sorted(options)).flatmap(lambda name: options[name].map(lambda v: {name: v}))


def filter_input(kind: GraphQLInputObjectType, pools: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in kind.fields.items():
        if name in ("and", "or", "not", "customerEmail"):
            continue
        named = get_named_type(field.type)
        if isinstance(named, GraphQLInputObjectType):
            fields[name] = operator_input(named, pools)
        else:
            fields[name] = value_of(named, pools)
    level = st.fixed_dictionaries({}, optional=fields).filter(lambda found: len(found) == 1)
    return st.recursive(
        level,
        lambda inner: st.one_of(
            st.builds(lambda a, b: {**a, "and": b}, level, st.lists(inner, max_size=2)),
            st.builds(lambda a, b: {**a, "or": b}, level, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda a, b: {**a, "not": b}, level, inner),
        ),
        max_leaves=4,
    )


def order_input(root: str) -> st.SearchStrategy[list[dict[str, str]]] | None:
    argument = GRAPH.query_type.fields[root].args.get("orderBy")  # type: ignore[union-attr]
    if argument is None:
        return None
    order = get_named_type(argument.type)
    assert isinstance(order, GraphQLInputObjectType)
    keys = sorted(get_named_type(order.fields["field"].type).values)  # type: ignore[union-attr]
    key = st.fixed_dictionaries(
        {"field": st.sampled_from(keys), "direction": st.sampled_from(["ASC", "DESC"])}
    )
    return st.lists(key, max_size=3, unique_by=lambda k: k["field"])


def page_query(root: str) -> str:
    arguments = GRAPH.query_type.fields[root].args  # type: ignore[union-attr]
    filter_type = get_named_type(arguments["filter"].type).name
    order = f", $order: [{get_named_type(arguments['orderBy'].type).name}!]" if "orderBy" in arguments else ""
    order_argument = ", orderBy: $order" if order else ""
    return (
        f"query($filter: {filter_type}, $after: String, $before: String, $first: Int, $last: Int{order}) {{"
        f" {root}(filter: $filter, after: $after, before: $before, first: $first, last: $last{order_argument})"
        f" {{ totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}"
        f" edges {{ cursor node {{ {ROOTS[root]} }} }} }} }}"
    )


@pytest.fixture
def pools(seeded_db_url: str) -> dict[str, list[Any]]:
    return {
        kind: [r[0] if kind == "Int" else str(r[0]) for r in rows(seeded_db_url, sql)]
        for kind, sql in SAMPLES.items()
    }


def test_generated_filters_and_orders_page_identically_on_both_paths(
    pair: Pair,  # noqa: F811
    pools: dict[str, list[Any]],
) -> None:
    counts = {"compiled": 0, "all": 0, "found": 0}

    @generated(50)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        root = data.draw(st.sampled_from(sorted(ROOTS)))
        arguments = GRAPH.query_type.fields[root].args  # type: ignore[union-attr]
        kind = get_named_type(arguments["filter"].type)
        assert isinstance(kind, GraphQLInputObjectType)
        variables: dict[str, Any] = {"filter": data.draw(filter_input(kind, pools)), "first": 3}
        order = order_input(root)
        if order is not None:
            variables["order"] = data.draw(order)
        query = page_query(root)
        role = data.draw(st.sampled_from(["analyst", "viewer"]))
        for _ in range(3):  # three pages forward, then one back
            answer, compiled = both(pair, role, query, **variables)
            counts["all"] += 1
            counts["compiled"] += compiled
            connection = orjson.loads(answer)["data"][root]
            counts["found"] += bool(connection["edges"])
            if not connection["pageInfo"]["hasNextPage"]:
                break
            variables["after"] = connection["pageInfo"]["endCursor"]
        if "after" in variables:
            back = {**variables, "before": variables.pop("after"), "last": 2, "first": None}
            counts["compiled"] += both(pair, role, query, **back)[1]
            counts["all"] += 1

    check()
    # Both paths answered, the compiled one most of the time, and the filters found rows.
    assert counts["compiled"] >= counts["all"] * 3 // 4, counts
    assert counts["found"] >= counts["all"] // 4, counts
