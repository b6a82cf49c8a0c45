"""Generated GraphQL requests for the fuzz test: documents from the live schema (hypothesis-graphql, literal
arguments) and operations over every argument as variables, whose values are odd on purpose."""

import string
from collections.abc import Iterable
from typing import Any

import hypothesis_graphql
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
    is_composite_type,
)
from hypothesis import strategies as st
from hypothesis_graphql import nodes

Request = dict[str, Any]

ODD_TEXT = st.one_of(
    st.text(max_size=40),  # any code point, NUL and control characters included
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(lambda s: s * 300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\u202e\u0301\ufeff",
            "\U0001d518\U0001d52b\U0001d526",
            "<script>@x.com",
            "' OR 1=1 --",
            "%00",
            "\\",
        ]
    ),
)
HUGE_INTS = st.one_of(
    st.integers(min_value=-(2**31), max_value=2**31 - 1),
    st.sampled_from([2**31, -(2**31) - 1, 2**53 + 1, 2**63, -(2**63) - 1, 2**70, 10**30]),
    st.integers(),
)
ODD_DATES = st.sampled_from(
    [
        "2025-02-30",
        "2025-13-01",
        "0000-01-01",
        "9999-12-31",
        "0001-01-01",
        "2025-03-01T10:00:00",
        "2025-03-01T10:00:00Z",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "2025-03-01T25:61:00Z",
        "2025-03-01T10:00:00+99:00",
        "-2025-03-01T10:00:00Z",
        "yesterday",
        "1e309",
    ]
) | st.datetimes().map(lambda moment: moment.isoformat())
ODD_DECIMALS = st.sampled_from(
    [
        "NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "-0",
        "1e-400",
        "12345678901234567.12345",
        "0.001",
        "1,5",
    ]
) | st.decimals(allow_nan=False, allow_infinity=False).map(str)
UUIDS = st.uuids().map(str) | st.sampled_from(["00000000-0000-0000-0000-00000000000g", "{}", "0" * 36])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | HUGE_INTS | st.floats(allow_nan=False, allow_infinity=False) | ODD_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ODD_TEXT, inner, max_size=4),
    max_leaves=12,
)
MOMENTS = st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat())
WORDS = st.sampled_from(
    ["google", "cpc", "hotmart", "kiwify", "won", "qualified", "BRL", "ana@exemplo.com.br"]
)
# Plausible values reach the resolvers and the database; odd ones test the refusals on the way.
Scalars = dict[str, st.SearchStrategy[Any]]


def scalar_values(known_ids: list[str]) -> Scalars:
    """Strategies per scalar; UUIDs of the seeded rows let mutations and lookups find something."""
    return {
        "String": st.one_of(
            WORDS, st.text(string.ascii_letters + string.digits + "@.-_", max_size=20), ODD_TEXT
        ),
        "ID": ODD_TEXT | st.text(alphabet=string.ascii_letters + string.digits + "+/=", max_size=60),
        "Int": st.integers(0, 120) | HUGE_INTS,
        # JSON has no NaN or infinity: a client cannot send them as variables.
        "Float": st.floats(0, 400) | st.floats(allow_nan=False, allow_infinity=False) | HUGE_INTS,
        "Boolean": st.booleans(),
        "DateTime": MOMENTS | ODD_DATES,
        "Date": st.dates().map(str) | ODD_DATES,
        "Decimal": st.decimals(0, 100_000, places=2).map(str) | ODD_DECIMALS | HUGE_INTS,
        "UUID": st.sampled_from(known_ids) | UUIDS,
        "JSON": JSON_VALUES,
    }


# Literal values inside generated documents, for the scalars hypothesis-graphql does not know.
LITERALS = {
    "DateTime": ODD_DATES.map(nodes.String),
    "Date": ODD_DATES.map(nodes.String),
    "Decimal": ODD_DECIMALS.map(nodes.String) | HUGE_INTS.map(nodes.Int),
    "UUID": UUIDS.map(nodes.String),
    "JSON": ODD_TEXT.map(nodes.String) | HUGE_INTS.map(nodes.Int) | st.booleans().map(nodes.Boolean),
}


def input_values(input_type: GraphQLInputType, scalars: Scalars, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of the input type with odd content, now and then a value of another JSON type or null."""
    if isinstance(input_type, GraphQLNonNull):
        typed = input_values(input_type.of_type, scalars, depth)
    elif isinstance(input_type, GraphQLList):
        typed = st.lists(input_values(input_type.of_type, scalars, depth + 1), max_size=3)
    elif isinstance(input_type, GraphQLEnumType):
        typed = st.sampled_from(list(input_type.values)) | ODD_TEXT
    elif isinstance(input_type, GraphQLInputObjectType):
        typed = arguments(input_type.fields.items(), scalars, depth + 1) if depth < 4 else st.just({})
    else:
        assert isinstance(input_type, GraphQLScalarType)
        typed = scalars[input_type.name]
    wrong: st.SearchStrategy[Any] = st.none() | JSON_VALUES
    return st.one_of(*[typed] * 7, wrong)


def arguments(
    named: Iterable[tuple[str, GraphQLArgument | GraphQLInputField]], scalars: Scalars, depth: int = 0
) -> st.SearchStrategy[dict[str, Any]]:
    """Values for the required ones always (most of the time they are right), the others now and then."""
    required, optional = {}, {}
    for name, given in named:
        values = input_values(given.type, scalars, depth)
        (required if isinstance(given.type, GraphQLNonNull) else optional)[name] = values
    return st.fixed_dictionaries(required, optional=optional)


def variable_operations(schema: GraphQLSchema) -> list[tuple[str, dict[str, GraphQLArgument]]]:
    """A document for every field that takes arguments (root fields, mutations, analytics reports), each
    argument given as a variable of its own type."""
    assert schema.query_type and schema.mutation_type
    places: list[tuple[str, str | None, GraphQLObjectType]] = [
        ("query", None, schema.query_type),
        ("mutation", None, schema.mutation_type),
    ]
    for name, field in schema.query_type.fields.items():
        inner = get_named_type(field.type)
        if not field.args and isinstance(inner, GraphQLObjectType):
            places.append(("query", name, inner))
    operations = []
    for operation, wrapper, parent in places:
        for name, field in parent.fields.items():
            if not field.args:
                continue
            declared = ", ".join(f"${arg}: {argument.type}" for arg, argument in field.args.items())
            given = ", ".join(f"{arg}: ${arg}" for arg in field.args)
            selection = " { __typename }" if is_composite_type(get_named_type(field.type)) else ""
            call = f"{name}({given}){selection}"
            body = f"{wrapper} {{ {call} }}" if wrapper else call
            document = f"{operation} Fuzz({declared}) {{ {body} }}"
            operations.append((document, field.args))
    return operations


def variable_requests(schema: GraphQLSchema, scalars: Scalars) -> st.SearchStrategy[Request]:
    operations = variable_operations(schema)

    @st.composite
    def request(draw: st.DrawFn) -> Request:
        document, declared = draw(st.sampled_from(operations))
        values = draw(arguments(declared.items(), scalars))
        if draw(st.integers(0, 9)) == 0:  # variables that are no object at all, or the wrong names
            values = draw(JSON_VALUES)
        return {"query": document, "variables": values}

    return request()


def document_requests(schema: GraphQLSchema) -> st.SearchStrategy[Request]:
    """Documents from each root field and mutation alike (left to itself, hypothesis-graphql mostly picks
    the first few)."""
    assert schema.query_type and schema.mutation_type
    per_field = [
        *(
            hypothesis_graphql.queries(schema, fields=[f], custom_scalars=LITERALS)
            for f in schema.query_type.fields
        ),
        *(
            hypothesis_graphql.mutations(schema, fields=[f], custom_scalars=LITERALS)
            for f in schema.mutation_type.fields
        ),
    ]
    return st.one_of(per_field).map(lambda document: {"query": document})


ROLES = ("viewer", "ingest", "connector", "analyst", None)


def batches(
    schema: GraphQLSchema, size: int, known_ids: list[str]
) -> st.SearchStrategy[list[tuple[str | None, Request]]]:
    """One generated document and size - 1 variable sets, as admin; now and then one as another role or
    with no key."""
    documents = document_requests(schema)
    variables = variable_requests(schema, scalar_values(known_ids))

    @st.composite
    def batch(draw: st.DrawFn) -> list[tuple[str | None, Request]]:
        sent = [draw(documents), *(draw(variables) for _ in range(size - 1))]
        roles: list[str | None] = ["admin"] * size
        if draw(st.booleans()):
            roles[draw(st.integers(0, size - 1))] = draw(st.sampled_from(ROLES))
        return list(zip(roles, sent, strict=True))

    return batch()
