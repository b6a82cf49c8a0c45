"""Assembles the Strawberry schema; `schema` (default limits) is what schema.graphql snapshots."""

from collections.abc import Callable
from pathlib import Path

import strawberry
from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)

from schema import types as node_types  # noqa: F401  (registers every Node type)
from schema.limits import limits_rule
from schema.mutations import Mutation
from schema.query import Query
from schema.scalars import SCALARS

SDL_PATH = Path(__file__).parent / "schema.graphql"


ExtensionFactory = Callable[[], SchemaExtension]


def build_schema(extensions: list[ExtensionFactory] | None = None) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query, mutation=Mutation, extensions=extensions or [], scalar_overrides=SCALARS
    )


def limit_extensions(max_depth: int, max_aliases: int, max_tokens: int) -> list[ExtensionFactory]:
    """Fresh extension instances per request, as Strawberry requires, sharing rule classes built once."""
    # The same rule classes on every request let the validation cache recognise a document it has seen.
    rules: list[type[ASTValidationRule]] = [limits_rule(max_depth, max_aliases)]
    return [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        # Frontends send the same few documents: parse each once (module-level LRU).
        lambda: ParserCache(maxsize=256),
    ]


def cache_extensions() -> list[ExtensionFactory]:
    """Validation results per document, once every rule is in place (keep it last)."""
    return [lambda: ValidationCache(maxsize=256)]


schema = build_schema()


def sdl() -> str:
    return schema.as_str() + "\n"
