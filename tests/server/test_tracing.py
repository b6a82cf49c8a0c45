"""OpenTelemetry: `rastro serve` with OTEL_* set exports request, operation and SQL spans to an OTLP
collector (a fake one on 127.0.0.1 decoding what the real exporter sends), and no personal data."""

import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from server.tracing import TracingSettingError, tracer_provider_from, tracing_enabled
from tests.conftest import key_maker
from tests.ingest.tracking import BROWSER, CAPTURE_LEAD, TRACK_VISIT, make_domain
from tests.mutations.graphql import body
from tests.served import serving

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
EMAIL = "maria.rastreio@empresa.com.br"
CLIENT_IP = "203.0.113.99"
DOMAINS = {"query": "query DomainList { domains(first: 5) { nodes { domainName } } }"}


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return None if kind is None else getattr(value, kind)


@dataclass
class Span:
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    kind: int
    attributes: dict[str, Any]


@dataclass
class Collector:
    """Receives OTLP/HTTP protobuf exports at /v1/traces."""

    spans: list[Span] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def receive(self, payload: bytes) -> None:
        request = ExportTraceServiceRequest.FromString(payload)
        with self.lock:
            for resource_spans in request.resource_spans:
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        self.spans.append(
                            Span(
                                span.name,
                                span.trace_id.hex(),
                                span.span_id.hex(),
                                span.parent_span_id.hex(),
                                span.kind,
                                {a.key: _value(a.value) for a in span.attributes},
                            )
                        )

    def trace(self, trace_id: str, until: Any, timeout: float = 30) -> list[Span]:
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                spans = [s for s in self.spans if s.trace_id == trace_id]
            if until(spans) or time.monotonic() > deadline:
                return spans
            time.sleep(0.05)


@pytest.fixture
def collector() -> Iterator[tuple[Collector, str]]:
    received = Collector()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            payload = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                payload = gzip.decompress(payload)
            if self.path == "/v1/traces":
                received.receive(payload)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def traceparent(span_hex: str = PARENT_ID, trace_hex: str = TRACE_ID) -> str:
    return f"00-{trace_hex}-{span_hex}-01"


def children(spans: list[Span], parent: Span) -> list[Span]:
    return [s for s in spans if s.parent_id == parent.span_id]


def sql_spans(spans: list[Span]) -> list[Span]:
    return [s for s in spans if s.attributes.get("db.system") == "postgresql"]


def test_served_requests_export_request_operation_and_sql_spans(
    db_url: str, tmp_path: Path, collector: tuple[Collector, str]
) -> None:
    received, endpoint = collector
    site = make_domain(db_url)
    keys = key_maker(db_url)
    ingest_key, analyst_key = keys("ingest"), keys("analyst")
    env = {"DATABASE_URL": db_url, "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"}
    with serving(tmp_path, env=env) as served, httpx.Client(base_url=served.base_url) as client:
        # A mutation through Strawberry, carrying personal data in its variables and headers.
        visit = {"url": site.url("/oferta", "utm_source=google"), "visitorId": "v-trace"}
        visit["client"] = {"clientIp": CLIENT_IP, "userAgent": BROWSER}
        headers = {"Authorization": f"Bearer {ingest_key}", "User-Agent": BROWSER}
        response = client.post("/graphql", json=body(TRACK_VISIT, visit), headers=headers)
        session_id = response.json()["data"]["trackVisit"]["session"]["sessionId"]
        lead = {"sessionId": session_id, "email": EMAIL}
        response = client.post(
            "/graphql?from=campaign-secret",
            json=body(CAPTURE_LEAD, lead),
            headers={**headers, "traceparent": traceparent(), "X-Request-Id": "trace-me-1"},
        )
        assert response.json()["data"]["captureLead"]["lead"]["created"] is True
        # A query the compiled path answers with one statement, in a trace of its own.
        compiled_trace = "0af7651916cd43dd8448eb211c80319c"
        analyst = {"Authorization": f"Bearer {analyst_key}"}
        assert client.post("/graphql", json=DOMAINS, headers=analyst).status_code == 200  # now known
        response = client.post(
            "/graphql",
            json=DOMAINS,
            headers={**analyst, "traceparent": traceparent(trace_hex=compiled_trace)},
        )
        assert response.json()["data"]["domains"]["nodes"] == [{"domainName": site.name}]
        # Probes make no spans.
        assert client.get("/healthz").status_code == 200
        spans = received.trace(TRACE_ID, until=lambda s: any(x.parent_id == PARENT_ID for x in s))
        compiled = received.trace(compiled_trace, until=lambda s: len(sql_spans(s)) >= 1)
        log = served.log_lines()

    # The caller's trace goes on: the request span is a child of the caller's span.
    (request,) = [s for s in spans if s.parent_id == PARENT_ID]
    assert request.name == "POST /graphql"
    assert request.attributes["rastro.request_id"] == "trace-me-1"
    assert request.attributes["http.status_code"] == 200
    (operation,) = children(spans, request)
    assert operation.name == "mutation Lead"
    assert operation.attributes["graphql.operation.type"] == "mutation"
    assert operation.attributes["graphql.operation.name"] == "Lead"
    # Every statement is a span under the operation, with its SQL and no values.
    statements = sql_spans(spans)
    assert len(statements) >= 3
    assert {s.parent_id for s in statements} == {operation.span_id}
    assert any("INSERT INTO leads" in s.attributes["db.statement"] for s in statements)
    line = next(x for x in log if x.get("message") == "request" and x.get("request_id") == "trace-me-1")
    assert line["trace_id"] == TRACE_ID and line["span_id"] == request.span_id
    assert line["statements"] == len([s for s in statements if not s.name.startswith(("BEGIN", "COMMIT"))])

    # The compiled answer of a known query: request, operation, one statement.
    (compiled_request,) = [s for s in compiled if s.parent_id == PARENT_ID]
    (compiled_operation,) = children(compiled, compiled_request)
    assert compiled_operation.name == "query DomainList"
    assert compiled_operation.attributes["rastro.compiled"] is True
    (statement,) = children(compiled, compiled_operation)
    assert statement.attributes["db.system"] == "postgresql"

    exported = repr([(s.name, s.attributes) for s in received.spans])
    for personal in (EMAIL, CLIENT_IP, BROWSER, "campaign-secret", ingest_key, analyst_key):
        assert personal not in exported
    # Nor the client's address (uvicorn's peer) or user agent, which the HTTP instrumentation records.
    assert not {"net.peer.ip", "client.address", "http.user_agent", "user_agent.original"} & set(
        request.attributes
    )
    assert not any(s.name.startswith("GET /healthz") for s in received.spans)


def test_tracing_is_off_unless_otel_variables_ask_for_it() -> None:
    assert tracer_provider_from({}) is None
    assert not tracing_enabled({"OTEL_SERVICE_NAME": "rastro"})
    assert not tracing_enabled({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"})
    assert not tracing_enabled(
        {"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}
    )
    assert tracing_enabled({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"})
    assert tracing_enabled({"OTEL_TRACES_EXPORTER": "console"})


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, "OTEL_TRACES_EXPORTER='zipkin'"),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
            "OTEL_EXPORTER_OTLP_PROTOCOL='grpc'",
        ),
    ],
)
def test_an_unsupported_exporter_is_refused_by_name(environ: dict[str, str], named: str) -> None:
    with pytest.raises(TracingSettingError, match=named):
        tracer_provider_from(environ)
