"""A compiled query: its sites, and its SQL for each combination of their decisions (written on first use)."""

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution.values import get_argument_values, get_variable_values

from resolvers.compiled.compiler import Compiler
from resolvers.compiled.sites import Site, Unsupported
from resolvers.context import Limits
from schema.personal import names_personal_lookup
from schema.text_limits import TextArgument, text_arguments

STATEMENTS = 64


@dataclass
class Plan:
    schema: GraphQLSchema
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    sites: list[Site]
    # The roles that may run it (None: every reader); others get the Python path's refusal.
    roles: frozenset[Any] | None = None
    # What each request checks of the document, found by one walk of it here rather than one per request.
    text_arguments: tuple[TextArgument, ...] = ()
    personal_lookup: bool = False
    # Its statement's JSON is the answer's bytes as they are (no jsonb, float or report in it).
    compact: bool = False
    # Filters make many shapes of one document: the least recently used statements are written again.
    statements: LRUCache[Hashable, str] = field(default_factory=lambda: LRUCache(maxsize=STATEMENTS))

    @classmethod
    def build(
        cls, schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
    ) -> "Plan | None":
        """The plan of a validated document's query; None when the compiled path does not cover it."""
        operation = get_operation_ast(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        compiler = Compiler(schema, fragments)
        try:
            compiler.operation(operation)
        except Unsupported:
            return None
        parts = [operation, *fragments.values()]
        return cls(
            schema,
            operation,
            fragments,
            compiler.sites,
            compiler.roles,
            text_arguments(schema, parts),
            names_personal_lookup(parts),
            compiler.compact,
        )

    def bind(self, variables: Any, limits: Limits, sees_personal_data: bool) -> tuple[str, list[Any]]:
        """SQL and parameters for these variables; Unsupported or ArgumentError: Python answers instead."""
        if variables is not None and not isinstance(variables, dict):
            raise Unsupported("variables")
        coerced = get_variable_values(self.schema, self.operation.variable_definitions or (), variables or {})
        if isinstance(coerced, list):
            raise Unsupported("variables")
        decisions: list[Hashable] = []
        params: list[Any] = []
        for site in self.sites:
            binding = site.bind(get_argument_values(site.field, site.node, coerced), limits)
            decisions.append(binding.decision)
            params.extend(binding.params)
        key = (tuple(decisions), sees_personal_data)
        sql = self.statements.get(key)
        if sql is None:
            compiler = Compiler(self.schema, self.fragments, decisions, sees_personal_data)
            sql = self.statements[key] = compiler.operation(self.operation)
        return sql, params
