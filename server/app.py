"""Starlette app factory: /graphql, /analytics/*.csv, health, /collect, /webhooks/*; pure-ASGI middleware."""

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence

from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.routing import Route

from integrations.secret_box import SecretBox
from resolvers.checkout.accounts import CheckoutAccounts
from resolvers.compiled.extension import CompiledExecution
from resolvers.compiled.reads import CompiledReads
from resolvers.ingest.ingestion import Ingestion
from resolvers.ingest.places import Places
from resolvers.ingest.visitors import BotFilter, VisitorSalt
from resolvers.own_writes import ReadOwnWrites
from schema.cost import CostLimits
from schema.queries.tracking import MAX_NODES
from schema.schema import ExtensionFactory, build_schema, cache_extensions, limit_extensions
from schema.text_limits import TextLimitsCheck
from schema.validation import NameArgumentsInValueErrors
from server.analytics_csv import AnalyticsCsv
from server.auth import ApiKeyMiddleware, PrincipalCache
from server.collect import collect
from server.database import (
    create_engine,
    create_json_pool,
    create_read_sessionmaker,
    create_sessionmaker,
    create_tracking_pool,
)
from server.db_metrics import observe_engine
from server.deadlines import RequestDeadlines
from server.graphiql import graphiql_routes
from server.graphql_http import http_error, unexpected_error
from server.graphql_view import ErrorCodes, GraphQLEndpoint, graphql_view
from server.health import healthz, readyz
from server.http_body import BodyLimitMiddleware
from server.lifecycle import Drain
from server.memory_report import memory_report
from server.metrics_endpoint import forget_process, metrics_view
from server.operation_stats import OperationStats
from server.outages import DatabaseFailures
from server.persisted_queries import PersistedQueries
from server.rate_limits import IngestRateLimits
from server.request_log import RequestMiddleware
from server.settings import Settings
from server.tracing import TracedOperation, instrumented_sql, request_middleware, tracer_of
from server.tracker import tracker_script
from server.trusted_documents import TrustedDocuments
from server.webhooks import hotmart_webhook, kiwify_webhook


def cost_limits(settings: Settings) -> CostLimits:
    pages = (settings.default_page_size, settings.max_page_size)
    return CostLimits(settings.max_query_fields, settings.max_query_nodes, *pages, max_ids=MAX_NODES)


def create_app(
    settings: Settings,
    database_url: str,
    statement_observers: Sequence[Callable[[str], None]] = (),
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    """`statement_observers` see the SQL of the compiled path (tests count statements with them);
    `tracer_provider` (see server.tracing) turns tracing on."""
    tracer = tracer_of(tracer_provider)
    # First: its span covers parsing, validation and execution.
    traced: list[ExtensionFactory] = [] if tracer_provider is None else [lambda: TracedOperation(tracer)]
    reads = CompiledReads() if settings.compiled_reads else None
    # Last: it runs once the document is parsed and validated with every rule and limit.
    compiled: list[ExtensionFactory] = [] if reads is None else [lambda: CompiledExecution(reads)]
    schema = build_schema(
        [
            *traced,
            *limit_extensions(
                settings.max_query_depth, settings.max_aliases, settings.max_tokens, cost_limits(settings)
            ),
            ErrorCodes,
            NameArgumentsInValueErrors,
            TextLimitsCheck,
            *cache_extensions(),
            OperationStats,
            ReadOwnWrites,
            *compiled,
        ]
    )
    if reads is not None:
        reads.attach(schema._schema)
    view = graphql_view(schema, settings.graphiql, settings.retry_after_seconds, settings.max_response_bytes)
    endpoint = GraphQLEndpoint(view, reads)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        with instrumented_sql(tracer_provider):
            async with (
                serving(app),
                memory_report(app, settings.memory_report_path, settings.memory_report_seconds),
            ):
                yield

    @contextlib.asynccontextmanager
    async def serving(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.drain = Drain(settings.drain_seconds)
        app.state.drain.install()
        app.state.compiled = reads
        app.state.tracer = tracer
        read_url = settings.database_read_url or database_url
        json_pool = await create_json_pool(read_url, settings, statement_observers)
        if reads is not None:
            reads.pool = json_pool
        app.state.database_url = database_url
        app.state.read_url = read_url
        app.state.engine = create_engine(read_url, settings)
        observe_engine(app.state.engine)
        app.state.write_engine = create_engine(database_url, settings, writes=True)
        observe_engine(app.state.write_engine)
        # Scrapes read the outbox on a connection of their own: a saturated pool is when they matter most.
        app.state.scrape_engine = create_engine(database_url, settings, pooled=False)
        app.state.sessions = create_sessionmaker(app.state.write_engine)
        app.state.reads = create_read_sessionmaker(app.state.engine)
        # Reads that must see the latest writes (a mutation's payload, API keys): the primary's write pool.
        app.state.primary_reads = (
            app.state.reads if read_url == database_url else create_read_sessionmaker(app.state.write_engine)
        )
        app.state.principal_cache = PrincipalCache(settings.key_cache_seconds)
        app.state.trusted_documents = TrustedDocuments(app.state.primary_reads, settings.key_cache_seconds)
        app.state.checkout_accounts = CheckoutAccounts(app.state.primary_reads, settings.key_cache_seconds)
        app.state.ingest_rate_limits = IngestRateLimits(
            settings.ingest_rate_per_key, settings.ingest_rate_per_ip
        )
        places = Places(settings.ingest_cache_seconds)
        tracking_pool = await create_tracking_pool(database_url, settings)
        app.state.ingestion = Ingestion(
            tracking_pool,
            BotFilter(settings.bot_user_agents),
            VisitorSalt(),
            places,
            wait=settings.pool_timeout_seconds,
        )
        key = settings.secret_key
        app.state.secret_box = None if key is None else SecretBox(key.get_secret_value())
        try:
            yield
        finally:
            await json_pool.close()
            await tracking_pool.close()
            await app.state.engine.dispose()
            await app.state.write_engine.dispose()
            await app.state.scrape_engine.dispose()
            forget_process()

    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            *(graphiql_routes(settings.graphiql_cdn) if settings.graphiql else []),
            Route("/analytics/{report}.csv", AnalyticsCsv(schema).endpoint),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_view),
            Route("/collect", collect, methods=["POST", "OPTIONS"]),
            Route("/t.js", tracker_script),
            Route("/webhooks/hotmart", hotmart_webhook, methods=["POST"]),
            Route("/webhooks/kiwify", kiwify_webhook, methods=["POST"]),
        ],
        middleware=[
            *request_middleware(tracer_provider),
            Middleware(RequestMiddleware),
            Middleware(
                RequestDeadlines,
                seconds=settings.request_timeout_seconds,
                body_idle_seconds=settings.body_idle_seconds,
            ),
            Middleware(DatabaseFailures),
            Middleware(BodyLimitMiddleware, limit=settings.max_body_bytes),
            Middleware(PersistedQueries, cache_bytes=settings.persisted_query_cache_bytes),
            Middleware(ApiKeyMiddleware),
        ],
        lifespan=lifespan,
        exception_handlers={StarletteHTTPException: http_error, Exception: unexpected_error},
    )
