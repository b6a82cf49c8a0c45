"""Every Prometheus metric of Rastro, declared once; any layer may import it (it imports nothing of ours).

With PROMETHEUS_MULTIPROC_DIR set (`rastro serve` sets it for its workers) values live in files that
`/metrics` sums over every worker process.
"""

import re

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
COUNT_BUCKETS = (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 1000)

REQUESTS = Counter(
    "rastro_requests",
    "HTTP requests by GraphQL operation name, role and outcome",
    ["operation", "role", "outcome"],
)
REQUEST_SECONDS = Histogram(
    "rastro_request_duration_seconds",
    "Time from the first byte received to the last byte sent",
    ["operation", "role", "outcome"],
    buckets=LATENCY_BUCKETS,
)
STATEMENTS_PER_REQUEST = Histogram(
    "rastro_sql_statements_per_request",
    "SQL statements one request sent to PostgreSQL",
    ["operation"],
    buckets=COUNT_BUCKETS,
)
POOL_IN_USE = Gauge(
    "rastro_db_pool_in_use", "Connections checked out of the pool", ["pool"], multiprocess_mode="livesum"
)
POOL_WAITING = Gauge(
    "rastro_db_pool_waiting",
    "Callers waiting for a pooled connection",
    ["pool"],
    multiprocess_mode="livesum",
)
LOADER_BATCH_SIZE = Histogram(
    "rastro_dataloader_batch_size",
    "Keys per DataLoader batch (one SQL statement each)",
    ["kind", "table"],
    buckets=COUNT_BUCKETS,
)
COMPILED_FALLBACKS = Counter(
    "rastro_compiled_fallbacks",
    "Compiled read statements that failed and were answered by the Python path, by error type",
    ["error"],
)
INGESTED = Counter("rastro_ingested", "Tracking records accepted by the ingest API", ["kind"])
WEBHOOKS = Counter("rastro_webhooks", "Checkout webhooks received, by outcome", ["platform", "outcome"])
DELIVERIES = Counter(
    "rastro_outbox_deliveries", "Outbox delivery attempts by the worker, by outcome", ["platform", "outcome"]
)

ANONYMOUS = "anonymous"
OTHER = "other"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# Operation names come from clients: past this many distinct ones a worker reports the rest as `other`.
MAX_OPERATION_NAMES = 200
_seen_names: set[str] = set()


def operation_label(name: str | None) -> str:
    """A bounded label for a client-chosen operation name."""
    if not name:
        return ANONYMOUS
    if not _NAME.fullmatch(name):
        return OTHER
    if name not in _seen_names:
        if len(_seen_names) >= MAX_OPERATION_NAMES:
            return OTHER
        _seen_names.add(name)
    return name


def operation_names() -> frozenset[str]:
    """The operation names this worker labels by their own name."""
    return frozenset(_seen_names)
