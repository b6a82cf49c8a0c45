"""Assembles the Strawberry schema; `schema` (default limits) is what schema.graphql snapshots."""

from pathlib import Path

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension

from schema.query import Query

SDL_PATH = Path(__file__).parent / "schema.graphql"


def build_schema(extensions: list[SchemaExtension] | None = None) -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=extensions or [])


def limit_extensions(max_depth: int, max_aliases: int, max_tokens: int) -> list[SchemaExtension]:
    return [
        QueryDepthLimiter(max_depth=max_depth),
        MaxAliasesLimiter(max_alias_count=max_aliases),
        MaxTokensLimiter(max_token_count=max_tokens),
    ]


schema = build_schema()


def sdl() -> str:
    return schema.as_str() + "\n"
