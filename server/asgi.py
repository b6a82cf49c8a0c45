"""Uvicorn's entry point (factory=True): the app built from the environment, in each worker process."""

import gc

from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from server.tracing import tracer_provider_from


def tune_gc() -> None:
    """Requests make many short-lived objects: collect young ones less often, never rescan startup ones.

    The older generations keep CPython's 10: requests leave reference cycles, and at 50 and 100 the ones
    that outlived a young collection waited hours for the next older one (RSS rose 0.8 MiB/min; memory.md).
    """
    gc.collect()
    gc.freeze()
    # The oldest generation waits until it grew by a quarter of the last full collection's survivors, the
    # frozen ones included: collecting the emptied heap restarts that count from what requests leave.
    gc.collect()
    gc.set_threshold(20_000, 10, 10)


def create() -> Starlette:
    tune_gc()
    settings = Settings()
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set: start the server with `rastro serve`")
    return create_app(settings, settings.database_url, tracer_provider=tracer_provider_from())
