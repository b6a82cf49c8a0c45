"""Outermost ASGI middleware: request id in and out, one JSON log line and the request metrics per request."""

import logging
import time

from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from telemetry import metrics
from telemetry.request import RequestStats, current, request_id_from

log = logging.getLogger("rastro.request")

# Probes and scrapes come every few seconds: their lines are debug-level.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def outcome_of(status: int, stats: RequestStats) -> str:
    if status >= 500:
        return "failed"
    if status in (401, 403):
        return "denied"
    if status >= 400:
        return "rejected"
    return "error" if stats.graphql_errors else "ok"


def _route_label(scope: Scope, stats: RequestStats) -> str:
    """The GraphQL operation, else the route path (a bounded set), else `other`."""
    if stats.operation_type is not None:
        return metrics.operation_label(stats.operation)
    path = scope["path"]
    app = scope.get("app")
    known = {getattr(route, "path", None) for route in getattr(app, "routes", ())}
    return str(path) if path in known else metrics.OTHER


def safety_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Answers carry keys' data: no cache keeps them unless a route says otherwise (t.js, GraphiQL's files),
    and no browser guesses a type other than the one given."""
    names = {name.lower() for name, _ in headers}
    defaults = ((b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff"))
    return [*headers, *((name, value) for name, value in defaults if name not in names)]


class RequestMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)
        stats = RequestStats(request_id_from(None if header is None else header.decode("latin-1")))
        token = current.set(stats)
        span = trace.get_current_span()  # the request's, when tracing is on
        span.set_attribute("rastro.request_id", stats.request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                request_id = (b"x-request-id", stats.request_id.encode())
                message["headers"] = [*safety_headers(message.get("headers", [])), request_id]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, stats, status, time.perf_counter() - started, span)
            current.reset(token)

    def _record(
        self, scope: Scope, stats: RequestStats, status: int, seconds: float, span: trace.Span
    ) -> None:
        principal = scope.get("state", {}).get("principal")
        stats.role = principal.role.value if principal is not None else "none"
        outcome = outcome_of(status, stats)
        operation = _route_label(scope, stats)
        metrics.REQUESTS.labels(operation, stats.role, outcome).inc()
        metrics.REQUEST_SECONDS.labels(operation, stats.role, outcome).observe(seconds)
        metrics.STATEMENTS_PER_REQUEST.labels(operation).observe(stats.statements)
        level = logging.DEBUG if scope["path"] in QUIET_PATHS else logging.INFO
        log.log(
            level,
            "request",
            extra={
                "request_id": stats.request_id,
                "method": scope["method"],
                "path": scope["path"],
                "operation": stats.operation,
                "operation_type": stats.operation_type,
                "role": stats.role,
                "status": status,
                "outcome": outcome,
                "duration_ms": round(seconds * 1000, 2),
                "statements": stats.statements,
                **_trace_ids(span),
            },
        )


def _trace_ids(span: trace.Span) -> dict[str, str]:
    """The ids that find this request's trace, when it is traced."""
    context = span.get_span_context()
    if not context.is_valid:
        return {}
    return {
        "trace_id": trace.format_trace_id(context.trace_id),
        "span_id": trace.format_span_id(context.span_id),
    }
