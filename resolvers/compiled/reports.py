"""Analytics reports in the compiled statement: each report's own SQL, its rows aggregated as JSON.

A report's rows are the rows of its statement (resolvers/analytics), fields named as its columns; the
statement runs as a subquery whose rows `json_agg` writes in its order, each value as the Python path
serializes it. Reports whose rows Python computes (attribution credits, A/B z-tests) have no ReportRead
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
    "Float": lambda expr: f"({expr})::float8",
    "String": lambda expr: f"({expr})::text",
    "UUID": lambda expr: f"({expr})::text",
    "Int": lambda expr: expr,
    "Boolean": lambda expr: expr,
}
# The statement written while only the sites are listed.
LISTING = ReportDecision("SELECT", 0, None)


def _strawberry(definition: GraphQLField) -> Any:
    strawberry_field = definition.extensions.get("strawberry-definition")
    if strawberry_field is None:
        raise Unsupported("a field without its Strawberry definition")
    return strawberry_field


def namespace(compiler: "Compiler", definition: GraphQLField, nodes: list[FieldNode], spec: Namespace) -> str:
    """`analytics { ... }`: an object of reports, for the roles the root field is open to."""
    compiler.roles = spec.roles if compiler.roles is None else compiler.roles & spec.roles
    target = get_named_type(definition.type)
    assert isinstance(target, GraphQLObjectType)
    items: list[tuple[str, str]] = []
    for key, key_nodes in compiler.collect(target, compiler.subselections(nodes)).items():
        field_name = key_nodes[0].name.value
        if field_name == "__typename":
            items.append((key, q.literal(target.name)))
            continue
        report_field = target.fields[field_name]
        report_spec = (_strawberry(report_field).metadata or {}).get(READS)
        if not isinstance(report_spec, ReportRead):
            raise Unsupported(field_name)
        items.append((key, report(compiler, report_field, key_nodes, report_spec)))
    return compiler.record(items)


def report(compiler: "Compiler", definition: GraphQLField, nodes: list[FieldNode], spec: ReportRead) -> str:
    """One report: `rows` aggregated over its statement; `dataAsOf`, `materialized` as its resolver says."""
    names = {
        argument.graphql_name or to_camel_case(argument.python_name): argument.python_name
        for argument in _strawberry(definition).arguments
    }
    site = ReportSite(definition, nodes[0], spec.build, compiler.inputs(definition), names)
    decision = compiler.site(site, LISTING)
    assert isinstance(decision, ReportDecision)
    report_type = get_named_type(definition.type)
    assert isinstance(report_type, GraphQLObjectType)
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
    items: list[tuple[str, str]] = []
    for key, key_nodes in compiler.collect(report_type, compiler.subselections(nodes)).items():
        field_name = key_nodes[0].name.value
        if field_name == "__typename":
            items.append((key, q.literal(report_type.name)))
        elif field_name == "rows":
            row_type = get_named_type(report_type.fields["rows"].type)
            row = compiler.record(row_items(compiler, row_type, rows, key_nodes))
            aggregates.append(f"coalesce(json_agg({row}), '[]') AS a{len(aggregates)}")
            items.append((key, f"{aggregate}.a{len(aggregates) - 1}"))
        elif field_name == "dataAsOf":
            items.append((key, q.iso_datetime(f"coalesce({aggregate}.refreshed, now())")))
        elif field_name == "materialized":
            items.append((key, f"({aggregate}.refreshed IS NOT NULL)"))
        elif field_name == "timeZone":
            items.append((key, f"{aggregate}.zone"))
        else:
            raise Unsupported(field_name)
    source = f" FROM (SELECT {', '.join(aggregates)} FROM ({statement}) {rows}) {aggregate}"
    return compiler.record(items, source)


def row_items(
    compiler: "Compiler", row_type: Any, alias: str, nodes: list[FieldNode]
) -> list[tuple[str, str]]:
    """A row's selected fields: each the statement's column of the field's Python name."""
    if not isinstance(row_type, GraphQLObjectType):
        raise Unsupported("abstract row type")
    items: list[tuple[str, str]] = []
    for key, key_nodes in compiler.collect(row_type, compiler.subselections(nodes)).items():
        field_name = key_nodes[0].name.value
        if field_name == "__typename":
            items.append((key, q.literal(row_type.name)))
            continue
        definition = row_type.fields[field_name]
        strawberry_field = _strawberry(definition)
        if (strawberry_field.metadata or {}).get(PERSONAL):
            if not compiler.sees_personal_data:
                items.append((key, "NULL"))
                continue
        elif strawberry_field.extensions:
            raise Unsupported(field_name)
        if strawberry_field.base_resolver is not None or definition.args:
            raise Unsupported(field_name)
        expr = f"{alias}.{q.name(strawberry_field.python_name)}"
        scalar = get_named_type(definition.type)
        if isinstance(scalar, GraphQLEnumType):
            values = {str(getattr(v.value, "value", v.value)): name for name, v in scalar.values.items()}
            items.append((key, q.enum_name(expr, values)))
        elif scalar.name in SCALARS:
            items.append((key, SCALARS[scalar.name](expr)))
        else:
            raise Unsupported(f"{field_name}: {scalar.name}")
    return items
