"""Starlette app factory: /graphql, /healthz, /readyz, with pure-ASGI middleware only."""

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from integrations.secret_box import SecretBox
from schema.schema import build_schema, cache_extensions, limit_extensions
from schema.validation import NameArgumentsInValueErrors
from server.auth import ApiKeyMiddleware, PrincipalCache
from server.database import create_engine, create_read_sessionmaker, create_sessionmaker
from server.graphql_view import graphql_view, mask_errors
from server.health import healthz, readyz
from server.http_body import BodyLimitMiddleware
from server.settings import Settings


def create_app(settings: Settings, database_url: str) -> Starlette:
    schema = build_schema(
        [
            *limit_extensions(settings.max_query_depth, settings.max_aliases, settings.max_tokens),
            mask_errors,
            NameArgumentsInValueErrors,
            *cache_extensions(),
        ]
    )
    view = graphql_view(schema, settings.graphiql)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.engine = create_engine(database_url, settings)
        app.state.sessions = create_sessionmaker(app.state.engine)
        app.state.reads = create_read_sessionmaker(app.state.engine)
        app.state.principal_cache = PrincipalCache(settings.key_cache_seconds)
        key = settings.secret_key
        app.state.secret_box = None if key is None else SecretBox(key.get_secret_value())
        try:
            yield
        finally:
            await app.state.engine.dispose()

    return Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        middleware=[
            Middleware(BodyLimitMiddleware, limit=settings.max_body_bytes),
            Middleware(ApiKeyMiddleware),
        ],
        lifespan=lifespan,
    )
