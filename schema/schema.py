"""Assembles the Strawberry schema; `schema` (default limits) is what schema.graphql snapshots."""

from collections.abc import Callable, Iterator
from pathlib import Path

import strawberry
from graphql import ASTValidationRule, GraphQLInterfaceType, GraphQLObjectType
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)

from resolvers.context import cacheable
from schema import types as node_types  # noqa: F401  (registers every Node type)
from schema.cost import CostLimits, cost_rule
from schema.descriptions import describe
from schema.limits import limits_rule
from schema.mutations import Mutation
from schema.query import Query
from schema.scalars import SCALARS
from schema.text_limits import describe_text_limits

SDL_PATH = Path(__file__).parent / "schema.graphql"


ExtensionFactory = Callable[[], SchemaExtension]
# Parsed and validated documents each worker keeps (Strawberry's module-level LRU caches, by this size).
DOCUMENT_CACHE_SIZE = 256


class DocumentParserCache(ParserCache):
    def __init__(self) -> None:
        super().__init__(maxsize=DOCUMENT_CACHE_SIZE)

    def on_parse(self) -> Iterator[None]:
        if cacheable(self.execution_context.query):
            yield from super().on_parse()
        else:
            yield


class DocumentValidationCache(ValidationCache):
    def __init__(self) -> None:
        super().__init__(maxsize=DOCUMENT_CACHE_SIZE)

    def on_validate(self) -> Iterator[None]:
        if cacheable(self.execution_context.query):
            yield from super().on_validate()
        else:
            yield


# The Relay paging arguments of every connection (48 of them) mean the same thing everywhere: said once.
PAGING_ARGUMENTS = {
    "first": "At most this many nodes from the start (server defaults: 50 when omitted, at most 100).",
    "after": "Start after the node of this cursor (an endCursor or edge cursor of this connection).",
    "last": "At most this many nodes from the end (server defaults: 50 when omitted, at most 100).",
    "before": "End before the node of this cursor (a startCursor or edge cursor of this connection).",
}


def describe_paging_arguments(built: strawberry.Schema) -> None:
    for named in built._schema.type_map.values():
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field in named.fields.values():
                for name, argument in field.args.items():
                    if argument.description is None and name in PAGING_ARGUMENTS:
                        argument.description = PAGING_ARGUMENTS[name]


def build_schema(extensions: list[ExtensionFactory] | None = None) -> strawberry.Schema:
    built = strawberry.Schema(
        query=Query, mutation=Mutation, extensions=extensions or [], scalar_overrides=SCALARS
    )
    describe_paging_arguments(built)
    describe(built._schema)
    describe_text_limits(built._schema)
    return built


def limit_extensions(
    max_depth: int, max_aliases: int, max_tokens: int, cost: CostLimits | None = None
) -> list[ExtensionFactory]:
    """Fresh extension instances per request, as Strawberry requires, sharing rule classes built once."""
    # The same rule classes on every request let the validation cache recognise a document it has seen.
    rules: list[type[ASTValidationRule]] = [limits_rule(max_depth, max_aliases)]
    if cost is not None:
        rules.append(cost_rule(cost))
    return [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        # Frontends send the same few documents: parse each once (module-level LRU).
        DocumentParserCache,
    ]


def cache_extensions() -> list[ExtensionFactory]:
    """Validation results per document, once every rule is in place (keep it last)."""
    return [DocumentValidationCache]


schema = build_schema()


def sdl() -> str:
    return schema.as_str() + "\n"
