"""Assembles the Strawberry schema; `schema` (default limits) is what schema.graphql snapshots."""

from collections.abc import Callable
from pathlib import Path

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension

from schema import types as node_types  # noqa: F401  (registers every Node type)
from schema.query import Query

SDL_PATH = Path(__file__).parent / "schema.graphql"


ExtensionFactory = Callable[[], SchemaExtension]


def build_schema(extensions: list[ExtensionFactory] | None = None) -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=extensions or [])


def limit_extensions(max_depth: int, max_aliases: int, max_tokens: int) -> list[ExtensionFactory]:
    """Fresh extension instances per request, as Strawberry requires."""
    return [
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
    ]


schema = build_schema()


def sdl() -> str:
    return schema.as_str() + "\n"
