"""Analytics reports in the compiled statement: each report's own SQL, its rows aggregated as JSON.

A report's rows are the rows of its statement (resolvers/analytics), fields named as its columns; the
statement runs as a subquery whose rows `json_agg` writes in its order, each value as the Python path
serializes it. Reports whose rows Python computes (attribution credits) have no ReportRead
spec, so the Python path answers them.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, GraphQLEnumType, GraphQLField, GraphQLObjectType, get_named_type
from strawberry.utils.str_converters import to_camel_case

from loaders import json_sql as q
from loaders.relation import PERSONAL, READS, Namespace, ReportRead
from resolvers.compiled.conditions import shift
from resolvers.compiled.sites import ReportDecision, ReportSite, Unsupported

if TYPE_CHECKING:
    from resolvers.compiled.compiler import Compiler

# Each GraphQL scalar of a report row as its Strawberry scalar serializes the column's value.
SCALARS: dict[str, Callable[[str], str]] = {
    "DateTime": q.iso_datetime,
    "Date": lambda expr: f"to_char({expr}, 'YYYY-MM-DD')",
    "Decimal": lambda expr: f"({expr})::text",
    "Float": lambda expr: q.float_number(f"({expr})::float8"),
    "String": lambda expr: f"({expr})::text",
    "UUID": lambda expr: f"({expr})::text",
    "Int": lambda expr: expr,
    "Boolean": lambda expr: expr,
}
# PostgreSQL functions take 100 arguments at most.
MAX_PAIRS = 50
# The statement written while only the sites are listed.
LISTING = ReportDecision("SELECT", 0, None)


def _strawberry(definition: GraphQLField) -> Any:
    strawberry_field = definition.extensions.get("strawberry-definition")
    if strawberry_field is None:
        raise Unsupported("a field without its Strawberry definition")
    return strawberry_field


def items_of(
    compiler: "Compiler",
    parent: Any,
    nodes: list[FieldNode],
    value: Callable[[GraphQLField, list[FieldNode]], str],
) -> list[tuple[str, str]]:
    """The selected fields of `parent` by response key: `__typename` its name, any other `value` of it."""
    if not isinstance(parent, GraphQLObjectType):
        raise Unsupported("abstract type")
    return [
        (
            key,
            q.literal(parent.name)
            if key_nodes[0].name.value == "__typename"
            else value(parent.fields[key_nodes[0].name.value], key_nodes),
        )
        for key, key_nodes in compiler.collect(parent, compiler.subselections(nodes)).items()
    ]


def namespace(compiler: "Compiler", definition: GraphQLField, nodes: list[FieldNode], spec: Namespace) -> str:
    """`analytics { ... }`: an object of reports, for the roles the root field is open to."""
    compiler.roles = spec.roles if compiler.roles is None else compiler.roles & spec.roles

    def value(report_field: GraphQLField, key_nodes: list[FieldNode]) -> str:
        report_spec = (_strawberry(report_field).metadata or {}).get(READS)
        if not isinstance(report_spec, ReportRead):
            raise Unsupported(key_nodes[0].name.value)
        return report(compiler, report_field, key_nodes, report_spec)

    return compiler.record(items_of(compiler, get_named_type(definition.type), nodes, value))


def report(compiler: "Compiler", definition: GraphQLField, nodes: list[FieldNode], spec: ReportRead) -> str:
    """One report: `rows` aggregated over its statement; `dataAsOf`, `materialized` as its resolver says."""
    names = {
        argument.graphql_name or to_camel_case(argument.python_name): argument.python_name
        for argument in _strawberry(definition).arguments
    }
    site = ReportSite(definition, nodes[0], spec.build, compiler.inputs(definition), names)
    decision = compiler.site(site, LISTING)
    assert isinstance(decision, ReportDecision)
    rows, aggregate = compiler.alias(), compiler.alias()
    statement = shift(decision.sql, compiler.params)
    compiler.params += decision.params
    zone = compiler.param()
    # A live report's data is as of now; one served from views, as of their refresh (asked apart when no
    # row carries it), now when not refreshed yet.
    refreshed = (
        "NULL::timestamptz"
        if decision.refreshed is None
        else f"CASE WHEN count(*) = 0 THEN {decision.refreshed} ELSE max({rows}.refreshed_at) END"
    )
    # count(*) makes it one row even when no aggregate of the rows is selected.
    aggregates = ["count(*) AS rastro_count", f"{refreshed} AS refreshed", f"{zone}::text AS zone"]

    def value(field: GraphQLField, key_nodes: list[FieldNode]) -> str:
        field_name = key_nodes[0].name.value
        if field_name == "rows":
            row = row_object(
                compiler, items_of(compiler, get_named_type(field.type), key_nodes, row_value(compiler, rows))
            )
            aggregates.append(f"coalesce(json_agg({row}), '[]') AS a{len(aggregates)}")
            return f"{aggregate}.a{len(aggregates) - 1}"
        if field_name == "dataAsOf":
            return q.iso_datetime(f"coalesce({aggregate}.refreshed, now())")
        if field_name == "materialized":
            return f"({aggregate}.refreshed IS NOT NULL)"
        if field_name == "timeZone":
            return f"{aggregate}.zone"
        raise Unsupported(field_name)

    items = items_of(compiler, get_named_type(definition.type), nodes, value)
    source = f" FROM (SELECT {', '.join(aggregates)} FROM ({statement}) {rows}) {aggregate}"
    return compiler.record(items, source)


def row_object(compiler: "Compiler", items: list[tuple[str, str]]) -> str:
    """A row as JSON: json_build_object is about twice as fast per row as a row_to_json subquery (7,923 rows
    of invoiceAudit), but takes at most 50 pairs."""
    if len(items) > MAX_PAIRS:
        return compiler.record(items)
    return f"json_build_object({', '.join(f'{q.literal(key)}, {sql}' for key, sql in items)})"


def row_value(compiler: "Compiler", alias: str) -> Callable[[GraphQLField, list[FieldNode]], str]:
    """A row's field: the statement's column of the field's Python name, as the Python path reads it."""

    def value(definition: GraphQLField, key_nodes: list[FieldNode]) -> str:
        field_name = key_nodes[0].name.value
        strawberry_field = _strawberry(definition)
        if (strawberry_field.metadata or {}).get(PERSONAL):
            if not compiler.sees_personal_data:
                return "NULL"
        elif strawberry_field.extensions:
            raise Unsupported(field_name)
        if strawberry_field.base_resolver is not None or definition.args:
            raise Unsupported(field_name)
        expr = f"{alias}.{q.name(strawberry_field.python_name)}"
        scalar = get_named_type(definition.type)
        if isinstance(scalar, GraphQLEnumType):
            values = {str(getattr(v.value, "value", v.value)): name for name, v in scalar.values.items()}
            return q.enum_name(expr, values)
        if scalar.name in SCALARS:
            return SCALARS[scalar.name](expr)
        raise Unsupported(f"{field_name}: {scalar.name}")

    return value
