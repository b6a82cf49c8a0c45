"""A query's selection as ONE SQL statement that builds the response's `data` as JSON.

Each object is `row_to_json` of its fields; each connection a keyset window aggregated with `array_agg`
and `array_to_json` (compact, where `json_agg` spaces its items); relations are correlated subqueries.
Anything else (custom resolvers, interfaces, directives, filters the metadata does not declare) raises
Unsupported, and the Python path answers instead.
"""

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
)
from strawberry.types.arguments import convert_argument
from strawberry.utils.str_converters import to_camel_case

from loaders import json_sql as q
from loaders.nodes import KINDS_BY_NAME
from loaders.relation import PERSONAL, READS, ColumnRead, Namespace, Relation, RootList, RootLookups
from resolvers.compiled import connections
from resolvers.compiled.reports import namespace
from resolvers.compiled.sites import ConnectionSite, LookupSite, Site, Unsupported

# row_to_json names keys after columns; PostgreSQL cuts identifiers longer than this.
MAX_KEY = 63
Fields = dict[str, list[FieldNode]]


class Compiler:
    """Walks one operation. With `decisions` it writes SQL; without, it only lists the sites."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        decisions: Sequence[Hashable] | None = None,
        sees_personal_data: bool = True,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.decisions = decisions
        self.sees_personal_data = sees_personal_data
        self.sites: list[Site] = []
        # The roles a root field of the query is reserved to (None: every reader).
        self.roles: frozenset[Any] | None = None
        self.params = 0
        self.aliases = 0
        # Whether the statement's JSON is the answer's bytes as it is (else it is parsed and written again).
        self.compact = True

    # --- plumbing -------------------------------------------------------------------------------

    def alias(self) -> str:
        self.aliases += 1
        return f"r{self.aliases}"

    def param(self) -> str:
        self.params += 1
        return f"${self.params}"

    def site(self, site: Site, default: Hashable) -> Hashable:
        """Registers a site; its decision for this rendering (a default while only listing sites)."""
        self.sites.append(site)
        return default if self.decisions is None else self.decisions[len(self.sites) - 1]

    def collect(self, parent: GraphQLObjectType, selection_sets: Sequence[SelectionSetNode]) -> Fields:
        """Fields by response key, in order, through fragments (GraphQL's CollectFields, no directives)."""
        fields: Fields = {}
        interfaces = {interface.name for interface in parent.interfaces}
        visited: set[str] = set()  # a fragment is collected once per selection, as the spec says

        def visit(selection_set: SelectionSetNode) -> None:
            condition: NamedTypeNode | None
            for selection in selection_set.selections:
                if selection.directives:
                    raise Unsupported("directives")
                if isinstance(selection, FieldNode):
                    key = (selection.alias or selection.name).value
                    fields.setdefault(key, []).append(selection)
                    continue
                if isinstance(selection, FragmentSpreadNode):
                    if selection.name.value in visited:
                        continue
                    visited.add(selection.name.value)
                    fragment = self.fragments[selection.name.value]
                    condition, inner = fragment.type_condition, fragment.selection_set
                elif isinstance(selection, InlineFragmentNode):
                    condition, inner = selection.type_condition, selection.selection_set
                else:
                    raise Unsupported("selection")
                if (
                    condition is None
                    or condition.name.value == parent.name
                    or condition.name.value in interfaces
                ):
                    visit(inner)

        for selection_set in selection_sets:
            visit(selection_set)
        for key in fields:
            if len(key.encode()) > MAX_KEY:
                raise Unsupported("long response key")
        return fields

    @staticmethod
    def subselections(nodes: list[FieldNode]) -> list[SelectionSetNode]:
        return [node.selection_set for node in nodes if node.selection_set is not None]

    def record(self, items: list[tuple[str, str]], source: str = "") -> str:
        """A JSON object of (key, SQL) items, in order."""
        alias = self.alias()
        columns = ", ".join(f"{sql} AS {q.name(key)}" for key, sql in items)
        return f"(SELECT row_to_json({alias}) FROM (SELECT {columns}{source}) {alias})"

    # --- the operation ----------------------------------------------------------------------------

    def operation(self, operation: OperationDefinitionNode) -> str:
        root = self.schema.query_type
        assert root is not None
        items = [
            (key, self.root_field(root, nodes))
            for key, nodes in self.collect(root, [operation.selection_set]).items()
        ]
        alias = self.alias()
        columns = ", ".join(f"{sql} AS {q.name(key)}" for key, sql in items)
        return f"SELECT row_to_json({alias})::text FROM (SELECT {columns}) {alias}"

    def root_field(self, root: GraphQLObjectType, nodes: list[FieldNode]) -> str:
        field_name = nodes[0].name.value
        if field_name == "__typename":
            return q.literal(root.name)
        definition = root.fields.get(field_name)
        spec = _metadata(definition).get(READS) if definition is not None else None
        if definition is None or spec is None:
            raise Unsupported(field_name)
        target = get_named_type(definition.type)
        if isinstance(spec, RootLookups):
            return self.root_lookup(definition, nodes, spec, target)
        if isinstance(spec, RootList):
            return self.root_list(definition, nodes, spec, target)
        if isinstance(spec, Namespace):
            self.compact = False  # report rows are json_build_object, which spaces its keys
            return namespace(self, definition, nodes, spec)
        raise Unsupported(field_name)

    def root_lookup(
        self, definition: GraphQLField, nodes: list[FieldNode], spec: RootLookups, target: Any
    ) -> str:
        index = self.site(LookupSite(definition, nodes[0], spec.lookups), 0)
        assert isinstance(index, int)
        lookup = spec.lookups[index]
        model = lookup.model
        alias = self.alias()
        where = " AND ".join(
            f"{q.column(alias, column)} = {self.param()}::{q.param_type(column)}" for column in lookup.columns
        )
        order = "" if lookup.ordering is None else f" ORDER BY {q.order_by(lookup.ordering, alias, False)}"
        items = self.object_items(target, model, alias, self.subselections(nodes))
        return self.record(items, f" FROM {q.table_name(model)} {alias} WHERE {where}{order} LIMIT 1")

    def root_list(
        self, definition: GraphQLField, nodes: list[FieldNode], spec: RootList, connection: Any
    ) -> str:
        columns = dict(spec.equals)
        site = ConnectionSite(
            definition,
            nodes[0],
            spec.model,
            spec.ordering,
            tuple(columns),
            dict(spec.convert),
            where=spec.where,
            order=spec.order,
            inputs=self.inputs(definition),
        )
        return connections.connection(self, connection, spec.model, site, columns, [], nodes)

    # --- objects ---------------------------------------------------------------------------------

    def object_items(
        self, parent: Any, model: type[Any], alias: str, selection_sets: list[SelectionSetNode]
    ) -> list[tuple[str, str]]:
        if not isinstance(parent, GraphQLObjectType):
            raise Unsupported("abstract type")
        kind = KINDS_BY_NAME.get(parent.name)
        if kind is None or kind.model is not model:
            raise Unsupported(parent.name)
        return [
            (key, self.object_field(parent, model, alias, nodes))
            for key, nodes in self.collect(parent, selection_sets).items()
        ]

    def object_field(
        self, parent: GraphQLObjectType, model: type[Any], alias: str, nodes: list[FieldNode]
    ) -> str:
        field_name = nodes[0].name.value
        if field_name == "__typename":
            return q.literal(parent.name)
        definition = parent.fields[field_name]
        strawberry_field = definition.extensions.get("strawberry-definition")
        if strawberry_field is None:
            raise Unsupported(field_name)
        metadata = strawberry_field.metadata or {}
        spec = metadata.get(READS)
        if metadata.get(PERSONAL):
            if not self.sees_personal_data:
                return "NULL"
        elif strawberry_field.extensions:
            raise Unsupported(field_name)
        if isinstance(spec, Relation):
            if spec.ordering is None:
                return self.to_one(definition, alias, model, spec, nodes)
            return self.to_many(definition, alias, model, spec, nodes)
        if field_name == "id" and strawberry_field.python_name == "id" and definition.args == {}:
            kind = KINDS_BY_NAME[parent.name]
            return q.global_id(parent.name, f"{alias}.{q.name(q.column_name(kind.key))}")
        if isinstance(spec, ColumnRead):
            column = getattr(model, spec.column) if isinstance(spec.column, str) else spec.column
        elif strawberry_field.base_resolver is None and strawberry_field.python_name in _columns(model):
            column = getattr(model, strawberry_field.python_name)
        else:
            raise Unsupported(field_name)
        expr = f"{q.column(alias, column)}"
        scalar = get_named_type(definition.type)
        if isinstance(scalar, GraphQLEnumType):
            return q.enum_name(expr, {_plain(value.value): key for key, value in scalar.values.items()})
        self.compact = self.compact and q.compact_json(column)
        return q.json_value(expr, column)

    def to_one(
        self, definition: GraphQLField, alias: str, model: type[Any], spec: Relation, nodes: list[FieldNode]
    ) -> str:
        target = spec.model
        inner = self.alias()
        where = " AND ".join(
            f"{q.column(inner, column)} = {alias}.{q.name(q.attribute_column(model, attribute))}"
            for column, attribute in zip(spec.columns, spec.parent, strict=True)
        )
        items = self.object_items(get_named_type(definition.type), target, inner, self.subselections(nodes))
        return self.record(items, f" FROM {q.table_name(target)} {inner} WHERE {where} LIMIT 1")

    def to_many(
        self, definition: GraphQLField, alias: str, model: type[Any], spec: Relation, nodes: list[FieldNode]
    ) -> str:
        assert spec.ordering is not None
        filters = dict(spec.filters)
        site = ConnectionSite(definition, nodes[0], spec.model, spec.ordering, tuple(filters), {})
        parent = [
            (column, f"{alias}.{q.name(q.attribute_column(model, attribute))}")
            for column, attribute in zip(spec.columns, spec.parent, strict=True)
        ]
        since = []
        if spec.since is not None:
            column, attribute = spec.since
            since = [(column, f"{alias}.{q.name(q.attribute_column(model, attribute))}")]
        connection = get_named_type(definition.type)
        return connections.connection(self, connection, spec.model, site, filters, parent, nodes, since)

    # --- arguments -------------------------------------------------------------------------------

    def inputs(self, definition: GraphQLField) -> Callable[[str, Any], Any]:
        """Turns an argument's coerced value into what the resolver receives (Strawberry inputs)."""
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        strawberry_field = definition.extensions.get("strawberry-definition")
        if strawberry_schema is None or strawberry_field is None:
            raise Unsupported("arguments without their Strawberry definitions")
        types = {
            argument.graphql_name or to_camel_case(argument.python_name): argument.type
            for argument in strawberry_field.arguments
        }

        def convert(argument: str, value: Any) -> Any:
            registry = strawberry_schema.schema_converter.scalar_registry
            return convert_argument(value, types[argument], registry, strawberry_schema.config)

        return convert


def _metadata(definition: GraphQLField) -> dict[str, Any]:
    strawberry_field = definition.extensions.get("strawberry-definition")
    return dict(strawberry_field.metadata or {}) if strawberry_field is not None else {}


def _columns(model: type[Any]) -> set[str]:
    return {attribute.key for attribute in model.__mapper__.column_attrs}


def _plain(value: Any) -> str:
    return str(getattr(value, "value", value))
