"""GET /metrics: Prometheus text, summed over worker processes, plus the outbox read from the database."""

import hmac
import os
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from models.enums import Platform
from server.settings import Settings

# Undelivered rows per platform; `dead` ones (a permanent error) are never retried.
OUTBOX_SQL = text("""
    SELECT platform,
           count(*) FILTER (WHERE next_attempt_at <> 'infinity') AS depth,
           count(*) FILTER (WHERE next_attempt_at = 'infinity') AS dead,
           coalesce(extract(epoch FROM now() - min(created_at)
                                 FILTER (WHERE next_attempt_at <> 'infinity')), 0) AS lag
    FROM conversion_outbox
    WHERE status <> 'delivered'
    GROUP BY platform
""")


class OutboxCollector(Collector):
    def __init__(self, rows: dict[str, tuple[int, int, float]] | None) -> None:
        self.rows = rows

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("rastro_database_up", "1 when the database answered this scrape")
        up.add_metric([], 0 if self.rows is None else 1)
        yield up
        if self.rows is None:
            return
        depth = GaugeMetricFamily(
            "rastro_outbox_depth", "Outbox rows waiting for delivery", labels=["platform"]
        )
        dead = GaugeMetricFamily(
            "rastro_outbox_dead", "Outbox rows that failed for good (not retried)", labels=["platform"]
        )
        lag = GaugeMetricFamily(
            "rastro_outbox_lag_seconds", "Age of the oldest row waiting for delivery", labels=["platform"]
        )
        for platform in Platform:
            waiting, failed, seconds = self.rows.get(platform.value, (0, 0, 0.0))
            depth.add_metric([platform.value], waiting)
            dead.add_metric([platform.value], failed)
            lag.add_metric([platform.value], seconds)
        yield from (depth, dead, lag)


async def read_outbox(engine: AsyncEngine) -> dict[str, tuple[int, int, float]] | None:
    try:
        async with engine.connect() as connection:
            result = await connection.execute(OUTBOX_SQL)
            return {row.platform: (row.depth, row.dead, float(row.lag)) for row in result}
    except Exception:  # a scrape reports the database as down rather than failing
        return None


def denied(settings: Settings, authorization: str | None) -> Response | None:
    if settings.metrics_open:
        return None
    token = settings.metrics_token
    if token is None:
        message = "Metrics are off: set RASTRO_METRICS_TOKEN, or RASTRO_METRICS_OPEN=true on a private port"
        return JSONResponse({"error": message}, status_code=404)
    expected = f"Bearer {token.get_secret_value()}"
    if authorization is None or not hmac.compare_digest(authorization.encode(), expected.encode()):
        return JSONResponse(
            {"error": "Send 'Authorization: Bearer <RASTRO_METRICS_TOKEN>'"},
            status_code=401,
            headers={"www-authenticate": 'Bearer realm="rastro-metrics"'},
        )
    return None


def forget_process() -> None:
    """A worker that stops takes its live gauges (pool in use, waiting) out of the sum."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def process_metrics() -> bytes:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


async def metrics_view(request: Request) -> Response:
    refusal = denied(request.app.state.settings, request.headers.get("authorization"))
    if refusal is not None:
        return refusal
    scrape = CollectorRegistry()
    scrape.register(OutboxCollector(await read_outbox(request.app.state.scrape_engine)))
    return Response(process_metrics() + generate_latest(scrape), media_type=CONTENT_TYPE_LATEST)
