"""Running uvicorn for `rastro serve` and `rastro demo`: JSON logs, per-worker metrics files."""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import uvicorn

from server.logs import log_config
from server.settings import Settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@contextlib.contextmanager
def metrics_directory() -> Iterator[Path]:
    """Where worker processes write their metrics for /metrics to sum; emptied first."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="rastro-metrics-") as made:
        os.environ[MULTIPROC_ENV] = made
        try:
            yield Path(made)
        finally:
            os.environ.pop(MULTIPROC_ENV, None)


def run_server(settings: Settings, url: str, host: str, port: int, workers: int) -> None:
    os.environ["DATABASE_URL"] = url  # the worker processes build their app from the environment
    with metrics_directory():
        uvicorn.run(
            "server.asgi:create",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=log_config(settings.log_level),
            access_log=False,
            timeout_graceful_shutdown=settings.shutdown_timeout,
            # A worker importing the app on a busy machine can take longer than uvicorn's 5 s default.
            timeout_worker_healthcheck=30,
            proxy_headers=False,
            server_header=False,
        )
