"""Every field of the schema, read by every role on both read paths: the viewer never gets personal data.

The queries are generated from the schema: each root connection with every argument-free leaf of its
nodes and of the objects and connections one level below. The personal fields are those the schema marks
(schema/personal.py); a name check makes sure nothing that looks personal is left unmarked.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)

from loaders.relation import PERSONAL
from schema.schema import schema as strawberry_schema
from tests.conftest import key_maker
from tests.live import live_server

SCHEMA: GraphQLSchema = strawberry_schema._schema
READING_ROLES = ("viewer", "connector", "analyst", "admin")
# Names that hold personal data wherever they appear; each must be a masked field.
LOOKS_PERSONAL = re.compile(
    r"(^|[a-z])(name|Name|email|Email|phone|Phone|document|Document|Ip|ip|userAgent|hashed\w*|card\w*|pix\w*"
    r"|bankSlip\w*|changedBy|requestData|responseData|requestPayload|pdfUrl|xmlUrl)$"
)
# Names matching the pattern that are no one's personal data.
NOT_PERSONAL = {
    "stageName", "integrationName", "domainName", "pageName", "productName", "offerName", "conversionName",
    "eventName", "campaignName", "utmCampaign", "Product.name", "Offer.name", "DeliveryAccountInfo.name",
    "CheckoutAccountInfo.name", "isBusinessEmail", "emailDomain", "currentOfferName",
}  # fmt: skip


def personal(field: GraphQLField) -> bool:
    definition = field.extensions.get("strawberry-definition")
    return bool(definition is not None and (definition.metadata or {}).get(PERSONAL))


def object_types() -> Iterator[GraphQLObjectType]:
    for named in SCHEMA.type_map.values():
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            yield named


def test_every_field_that_looks_personal_is_masked() -> None:
    unmasked = [
        f"{kind.name}.{name}"
        for kind in object_types()
        for name, field in kind.fields.items()
        if LOOKS_PERSONAL.search(name)
        and not personal(field)
        and name not in NOT_PERSONAL
        and f"{kind.name}.{name}" not in NOT_PERSONAL
        and not isinstance(get_named_type(field.type), GraphQLObjectType)
    ]
    assert unmasked == [], unmasked


@dataclass
class Selection:
    text: str
    # (type, field) of every personal leaf, by the response path below the root field.
    personal: list[tuple[tuple[str, ...], str]]


def leaves(
    kind: GraphQLObjectType, path: tuple[str, ...]
) -> tuple[list[str], list[tuple[tuple[str, ...], str]]]:
    texts, marked = [], []
    for name, field in kind.fields.items():
        if any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values()):
            continue
        if is_leaf_type(get_named_type(field.type)):
            texts.append(name)
            if personal(field):
                marked.append(((*path, name), f"{kind.name}.{name}"))
    return texts, marked


def connection_node(field: GraphQLField) -> GraphQLObjectType | None:
    named = get_named_type(field.type)
    if isinstance(named, GraphQLObjectType) and "nodes" in named.fields and "pageInfo" in named.fields:
        node = get_named_type(named.fields["nodes"].type)
        return node if isinstance(node, GraphQLObjectType) else None
    return None


def selection(kind: GraphQLObjectType, path: tuple[str, ...], depth: int) -> Selection:
    texts, marked = leaves(kind, path)
    if depth > 0:
        for name, field in kind.fields.items():
            if any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values()):
                continue
            node = connection_node(field)
            named = get_named_type(field.type)
            if node is not None:
                inner = selection(node, (*path, name, "nodes"), depth - 1)
                texts.append(f"{name}(first: 2) {{ nodes {{ {inner.text} }} }}")
                marked += inner.personal
            elif isinstance(named, GraphQLObjectType) and not isinstance(field.type, GraphQLList):
                if isinstance(getattr(field.type, "of_type", None), GraphQLList):
                    continue
                inner = selection(named, (*path, name), depth - 1)
                texts.append(f"{name} {{ {inner.text} }}")
                marked += inner.personal
    return Selection(" ".join(texts), marked)


def root_queries() -> list[tuple[str, str, Selection]]:
    query_type = SCHEMA.query_type
    assert query_type is not None
    queries = []
    for name, field in query_type.fields.items():
        node = connection_node(field)
        if node is None or any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values()):
            continue
        inner = selection(node, (name, "nodes"), 1)
        queries.append((name, f"{{ {name}(first: 3) {{ nodes {{ {inner.text} }} }} }}", inner))
    return queries


QUERIES = root_queries()


def values_at(data: Any, path: tuple[str, ...]) -> Iterator[Any]:
    if not path:
        yield data
        return
    if data is None:
        return
    if isinstance(data, list):
        for item in data:
            yield from values_at(item, path)
        return
    yield from values_at(data.get(path[0]), path[1:])


def test_the_viewer_gets_no_personal_data_on_either_read_path(seeded_db_url: str) -> None:
    make = key_maker(seeded_db_url)
    keys = {role: make(role) for role in READING_ROLES}
    seen: set[str] = set()
    assert len(QUERIES) >= 10, [name for name, _, _ in QUERIES]
    with live_server(seeded_db_url) as compiled, live_server(seeded_db_url, compiled_reads=False) as python:
        for served in (compiled, python):
            for role, key in keys.items():
                with served.client(key) as client:
                    for name, query, inner in QUERIES:
                        body = client.post("/graphql", json={"query": query}).json()
                        assert "errors" not in body, (role, name, body["errors"][:1])
                        for path, field in inner.personal:
                            values = [v for v in values_at(body["data"], path) if v is not None]
                            if role == "viewer":
                                assert values == [], (field, values[:1])
                            elif values:
                                seen.add(field)
    # The walk reached the personal data of leads, stages, customers, payments, invoices and sync logs.
    expected = {"Lead.email", "Lead.hashedEmail", "LeadStage.changedBy", "Customer.document",
                "Customer.hashedEmail", "PaymentAttempt.cardLastDigits", "Commission.recipientName",
                "Invoice.pdfUrl"}  # fmt: skip
    assert expected <= seen, expected - seen


LOOKUPS = [
    ('{ lead(email: "a@b.com") { leadId } }', {}),
    ('{ customer(email: "cliente@exemplo.com") { customerId } }', {}),
    ('{ customers(email: "cliente@exemplo.com") { totalCount } }', {}),
    ("query($e: String) { customers(email: $e) { totalCount } }", {"e": "cliente@exemplo.com"}),
    ('{ transactions(filter: {customerEmail: "cliente@exemplo.com"}) { totalCount } }', {}),
    ("query($f: TransactionFilter) { transactions(filter: $f) { totalCount } }",
     {"f": {"customerEmail": "cliente@exemplo.com"}}),
    ("query($f: TransactionFilter) { transactions(filter: $f) { totalCount } }",
     {"f": {"or": [{"platform": {"eq": "hotmart"}}, {"not": {"customerEmail": "cliente@exemplo.com"}}]}}),
    ('{ analytics { paymentFailures(customerEmail: "cliente@exemplo.com") { rows { platform } } } }', {}),
    ('{ analytics { customerInvoices(customerEmail: "cliente@exemplo.com") { rows { platform } } } }', {}),
]  # fmt: skip


def test_no_role_tests_a_value_it_may_not_read(seeded_db_url: str) -> None:
    make = key_maker(seeded_db_url)
    viewer, analyst = make("viewer"), make("analyst")
    with live_server(seeded_db_url) as served:
        for query, variables in LOOKUPS:
            with served.client(viewer) as client:
                body = client.post("/graphql", json={"query": query, "variables": variables}).json()
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (query, body)
            assert "personal data" in body["errors"][0]["message"]
            assert not any((body.get("data") or {}).values()), body
            with served.client(analyst) as client:
                body = client.post("/graphql", json={"query": query, "variables": variables}).json()
            assert "errors" not in body, (query, body["errors"])
