"""OpenTelemetry tracing, opt-in by the standard OTEL_* variables: request, GraphQL operation, SQL spans.

Off unless an OTLP endpoint or a traces exporter is named (and OTEL_SDK_DISABLED is not true). The SDK
itself reads the rest: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, OTEL_BSP_*,
OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout), OTEL_PROPAGATORS.
"""

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping

from opentelemetry import trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import Span, SpanKind, Tracer
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from server.operation_stats import operation_type_of

HTTP_PROTOBUF = "http/protobuf"
# Probes and scrapes come every few seconds and say nothing about a request's path through Rastro.
QUIET_URLS = "/healthz,/readyz,/metrics"


class TracingSettingError(ValueError):
    pass


def tracing_enabled(environ: Mapping[str, str]) -> bool:
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter != "none"
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    )


def _exporter(environ: Mapping[str, str]) -> SpanExporter:
    name = environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() or "otlp"
    if name == "console":
        return ConsoleSpanExporter(out=sys.stderr)
    if name != "otlp":
        raise TracingSettingError(
            f"OTEL_TRACES_EXPORTER={name!r}: Rastro exports traces by 'otlp' or 'console'"
        )
    for variable in ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"):
        protocol = environ.get(variable, "").strip()
        if protocol:
            if protocol != HTTP_PROTOBUF:
                raise TracingSettingError(f"{variable}={protocol!r}: Rastro sends OTLP as {HTTP_PROTOBUF!r}")
            break
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def tracer_provider_from(environ: Mapping[str, str] = os.environ) -> TracerProvider | None:
    """A provider exporting in batches as the OTEL_* variables say, or None when tracing is off."""
    if not tracing_enabled(environ):
        return None
    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: "rastro"}))
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(_exporter(environ)))
    return provider


def tracer_of(provider: TracerProvider | None) -> Tracer:
    return trace.NoOpTracer() if provider is None else provider.get_tracer("rastro")


# Personal data the HTTP instrumentation would record: client address, user agent, the query string
# (/collect's key). Hidden from it while it starts the request span, handed back to the app after.
_HIDDEN = "rastro.hidden_from_tracing"


class _Hide:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hidden = {key: scope.get(key) for key in ("client", "query_string", "headers")}
        headers = [(k, v) for k, v in scope["headers"] if k != b"user-agent"]
        await self.app(
            {**scope, "client": None, "query_string": b"", "headers": headers, _HIDDEN: hidden}, receive, send
        )


class _Restore:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _HIDDEN in scope:
            scope.update(scope.pop(_HIDDEN))
        await self.app(scope, receive, send)


def request_middleware(provider: TracerProvider | None) -> list[Middleware]:
    """The request span (W3C trace context taken from the caller), outermost; nothing when tracing is off."""
    if provider is None:
        return []
    excluded = os.environ.get("OTEL_PYTHON_ASGI_EXCLUDED_URLS", QUIET_URLS)
    return [
        Middleware(_Hide),
        Middleware(
            OpenTelemetryMiddleware,
            tracer_provider=provider,
            excluded_urls=excluded,
            exclude_spans=["receive", "send"],
        ),
        Middleware(_Restore),
    ]


@contextlib.contextmanager
def instrumented_sql(provider: TracerProvider | None) -> Iterator[None]:
    """A span per SQL statement: asyncpg carries both the compiled path's and SQLAlchemy's statements.

    Statements only, never their parameters (values are personal data).
    """
    if provider is None:
        yield
        return
    instrumentor = AsyncPGInstrumentor(capture_parameters=False)  # type: ignore[no-untyped-call]
    instrumentor.instrument(tracer_provider=provider)
    try:
        yield
    finally:
        instrumentor.uninstrument()
        provider.shutdown()  # exports what is still buffered


def operation_span_name(operation_type: str | None, name: str | None) -> str:
    return " ".join(part for part in (operation_type, name) if part) or "GraphQL operation"


@contextlib.contextmanager
def operation_span(tracer: Tracer, name: str | None, operation_type: str | None) -> Iterator[Span]:
    with tracer.start_as_current_span(
        operation_span_name(operation_type, name), kind=SpanKind.INTERNAL
    ) as span:
        if name:
            span.set_attribute("graphql.operation.name", name)
        if operation_type:
            span.set_attribute("graphql.operation.type", operation_type)
        yield span


class TracedOperation(SchemaExtension):
    """The GraphQL operation's span, current while it parses, validates and runs (its SQL nests under it).

    Not Strawberry's OpenTelemetryExtension: that one records the document and every resolver's
    arguments, where e-mails and phone numbers travel.
    """

    def __init__(self, tracer: Tracer) -> None:
        self.tracer = tracer

    def on_operation(self) -> Iterator[None]:
        run = self.execution_context
        with operation_span(self.tracer, run.operation_name, None) as span:
            yield
            operation_type = operation_type_of(run)
            span.update_name(operation_span_name(operation_type, run.operation_name))
            if operation_type:
                span.set_attribute("graphql.operation.type", operation_type)
            if run.operation_name:
                span.set_attribute("graphql.operation.name", run.operation_name)
            errors = (run.result.errors if run.result else None) or run.pre_execution_errors or []
            if errors:
                span.set_attribute("rastro.graphql.errors", len(errors))
                span.set_status(trace.StatusCode.ERROR)
