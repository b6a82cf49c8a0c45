"""Uvicorn's entry point (factory=True): the app built from the environment, in each worker process."""

from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings


def create() -> Starlette:
    settings = Settings()
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set: start the server with `rastro serve`")
    return create_app(settings, settings.database_url)
