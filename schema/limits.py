"""Depth and alias limits computed once per fragment, so a document's cost to check is linear in its size.

Strawberry's QueryDepthLimiter and MaxAliasesLimiter re-walk a fragment at every spread: a chain of
fragments each spreading the next twice costs 2^n. Here each fragment is measured once and reused.
"""

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)


@dataclass(frozen=True)
class Measure:
    depth: int  # longest chain of fields with a selection set (introspection fields not counted)
    aliases: int  # aliased fields once fragments are expanded


class DocumentMeasure:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.done: dict[str, Measure] = {}
        self.open: set[str] = set()  # fragments being measured: a cycle (refused by another rule) counts 0

    def selections(self, selection_set: SelectionSetNode | None) -> Measure:
        depth = aliases = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                inner = self.selections(selection.selection_set)
                aliases += inner.aliases + (1 if selection.alias else 0)
                if selection.selection_set and not selection.name.value.startswith("__"):
                    depth = max(depth, 1 + inner.depth)
            elif isinstance(selection, InlineFragmentNode):
                inner = self.selections(selection.selection_set)
                depth, aliases = max(depth, inner.depth), aliases + inner.aliases
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value)
                depth, aliases = max(depth, inner.depth), aliases + inner.aliases
        return Measure(depth, aliases)

    def fragment(self, name: str) -> Measure:
        if name in self.done:
            return self.done[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return Measure(0, 0)
        self.open.add(name)
        measure = self.done[name] = self.selections(definition.selection_set)
        self.open.discard(name)
        return measure


def limits_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    class DocumentLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            definitions = context.document.definitions
            fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
            measure = DocumentMeasure(fragments)
            total_aliases = 0
            for operation in definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                found = measure.selections(operation.selection_set)
                total_aliases += found.aliases
                if found.depth > max_depth:
                    name = operation.name.value if operation.name else "anonymous"
                    message = f"'{name}' exceeds maximum operation depth of {max_depth}"
                    context.report_error(GraphQLError(message, [operation]))
            if total_aliases > max_aliases:
                context.report_error(GraphQLError(f"{total_aliases} aliases found. Allowed: {max_aliases}"))

    return DocumentLimits
