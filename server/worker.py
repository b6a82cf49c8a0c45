"""`rastro worker`: the delivery worker as a process, with its settings, engine and signal handling."""

import asyncio
import logging
import signal
from collections import Counter

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from integrations.delivery.config import DeliveryConfig, Endpoints
from integrations.delivery.worker import Worker
from integrations.secret_box import SecretBox
from models.enums import Destination
from server.database import sqlalchemy_url
from server.migrate import current_revision, head_revision
from server.settings import Settings


def delivery_config(settings: Settings) -> DeliveryConfig:
    return DeliveryConfig(
        endpoints=Endpoints(
            google_data_manager=settings.google_data_manager_url,
            google_ads=settings.google_ads_url,
            google_oauth=settings.google_oauth_url,
            meta=settings.meta_url,
            linkedin=settings.linkedin_url,
            tiktok=settings.tiktok_url,
        ),
        concurrency=settings.delivery_concurrency,
        batch_size=settings.delivery_batch_size,
        request_timeout=settings.delivery_timeout_seconds,
        lease_seconds=settings.delivery_lease_seconds,
        backoff_base=settings.delivery_backoff_seconds,
        backoff_cap=settings.delivery_backoff_cap_seconds,
        max_attempts=settings.delivery_max_attempts,
        poll_seconds=settings.delivery_poll_seconds,
        shutdown_grace=settings.delivery_shutdown_grace_seconds,
    )


def worker_engine(url: str, settings: Settings) -> AsyncEngine:
    """One connection per lane and its lease renewals; dead connections (a restarted server) are replaced."""
    lanes = settings.delivery_concurrency * len(Destination)
    return create_async_engine(
        sqlalchemy_url(url),
        pool_size=lanes + 2,
        max_overflow=lanes,
        pool_pre_ping=True,
        pool_recycle=1800,
        hide_parameters=True,
        connect_args={
            "server_settings": {
                "statement_timeout": str(settings.statement_timeout_ms),
                "application_name": "rastro-worker",
            },
        },
    )


class NotMigrated(Exception):
    """The database is not at the migration head the worker's queries need."""


async def run_worker(settings: Settings, url: str, once: bool) -> Counter[str]:
    assert settings.secret_key is not None
    engine = worker_engine(url, settings)
    revision = await current_revision(engine)
    if revision != head_revision():
        await engine.dispose()
        raise NotMigrated(
            f"the database is at revision {revision}, not {head_revision()}: run `rastro migrate`"
        )
    worker = Worker(engine, delivery_config(settings), SecretBox(settings.secret_key.get_secret_value()))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, worker.stop)
    try:
        return await worker.run(once=once)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await engine.dispose()


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
