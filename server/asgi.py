"""Uvicorn's entry point (factory=True): the app built from the environment, in each worker process."""

import gc

from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from server.tracing import tracer_provider_from


def tune_gc() -> None:
    """Requests make many short-lived objects: collect young ones less often, never rescan startup ones."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def create() -> Starlette:
    tune_gc()
    settings = Settings()
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set: start the server with `rastro serve`")
    return create_app(settings, settings.database_url, tracer_provider=tracer_provider_from())
