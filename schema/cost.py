"""A document's cost before it runs: fields once fragments are expanded, and nodes, the sum over every
connection or list of the product of the page sizes above it and its own. Each fragment is measured
once and scaled where it is spread, so the measure is linear in the document's size."""

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
)

from resolvers.errors import Code


@dataclass(frozen=True)
class Cost:
    fields: int
    nodes: int  # objects the answer may hold, counted at every connection or list


@dataclass(frozen=True)
class CostLimits:
    max_fields: int
    max_nodes: int
    default_page: int  # page size when first/last is omitted
    largest_page: int  # what a variable page size may hold
    max_ids: int  # most ids nodes(ids:) takes


def _is_list(field_type: GraphQLType) -> bool:
    while isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def _is_connection(named: GraphQLNamedType) -> bool:
    return (
        isinstance(named, GraphQLObjectType)
        and named.name.endswith("Connection")
        and "pageInfo" in named.fields
    )


class DocumentCost:
    def __init__(
        self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], limits: CostLimits
    ):
        self.schema = schema
        self.fragments = fragments
        self.limits = limits
        self.done: dict[str, Cost] = {}
        self.open: set[str] = set()  # a cycle is refused by another rule: it counts 0 here

    def selections(self, parent: GraphQLNamedType | None, selection_set: SelectionSetNode | None) -> Cost:
        fields = nodes = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                inner = self.field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                typed = self.schema.get_type(condition.name.value) if condition else parent
                inner = self.selections(typed, selection.selection_set)
            else:
                assert isinstance(selection, FragmentSpreadNode)
                inner = self.fragment(selection.name.value)
            fields, nodes = fields + inner.fields, nodes + inner.nodes
        return Cost(fields, nodes)

    def field(self, parent: GraphQLNamedType | None, node: FieldNode) -> Cost:
        name = node.name.value
        known = isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) and name in parent.fields
        if not known or node.selection_set is None or name.startswith("__"):
            return Cost(
                1, 0
            )  # a leaf, introspection (bounded by the schema) or unknown (another rule says so)
        assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
        definition = parent.fields[name]
        named = get_named_type(definition.type)
        inner = self.selections(named, node.selection_set)
        factor = self.factor(parent, definition, named, node)
        return Cost(1 + inner.fields, factor * (1 + inner.nodes) if factor else inner.nodes)

    def factor(
        self, parent: GraphQLNamedType, definition: GraphQLField, named: GraphQLNamedType, node: FieldNode
    ) -> int:
        """How many objects per parent: a connection's page size, a list's bound, 0 for a single object."""
        if _is_connection(named):
            return self.page_size(node)
        if not _is_list(definition.type) or _is_connection(parent):
            return 0  # edges and nodes of a connection hold the page its field counted
        if node.name.value == "nodes" and parent is self.schema.query_type:
            ids = next((a.value for a in node.arguments or () if a.name.value == "ids"), None)
            return len(ids.values) if isinstance(ids, ListValueNode) else self.limits.max_ids
        # The other lists are short by construction (one per platform, per status) or flat report rows.
        return 0

    def page_size(self, node: FieldNode) -> int:
        sizes = [a.value for a in node.arguments or () if a.name.value in ("first", "last")]
        if not sizes:
            return self.limits.default_page
        # A variable may hold the largest size allowed; larger literals are refused by the resolvers.
        return max(
            min(int(v.value), self.limits.largest_page)
            if isinstance(v, IntValueNode)
            else self.limits.largest_page
            for v in sizes
        )

    def fragment(self, name: str) -> Cost:
        if name in self.done:
            return self.done[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return Cost(0, 0)
        self.open.add(name)
        typed = self.schema.get_type(definition.type_condition.name.value)
        cost = self.done[name] = self.selections(typed, definition.selection_set)
        self.open.discard(name)
        return cost


FEWER_FIELDS = "select fewer fields"
SMALLER_PAGES = "ask for smaller pages (first/last) or fewer nested connections"


def cost_rule(limits: CostLimits) -> type[ValidationRule]:
    class DocumentCostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            definitions = context.document.definitions
            fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
            measure = DocumentCost(context.schema, fragments, limits)
            for operation in definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                root = context.schema.get_root_type(operation.operation)
                cost = measure.selections(root, operation.selection_set)
                name = operation.name.value if operation.name else "anonymous"
                for what, estimate, limit, advice in (
                    ("fields once fragments are expanded", cost.fields, limits.max_fields, FEWER_FIELDS),
                    ("nodes (page sizes multiplied through nested connections)", cost.nodes, limits.max_nodes,
                     SMALLER_PAGES),
                ):  # fmt: skip
                    if estimate > limit:
                        message = f"'{name}' may cost {estimate:,} {what}; the limit is {limit:,}: {advice}"
                        extensions = {"code": Code.QUERY_TOO_COMPLEX.value, "cost": estimate, "limit": limit}
                        context.report_error(GraphQLError(message, [operation], extensions=extensions))

    return DocumentCostLimit
