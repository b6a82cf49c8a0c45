"""Engine and session factory; DSN conversions between libpq URLs and SQLAlchemy's asyncpg dialect."""

from collections.abc import Callable, Sequence
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from resolvers.ingest.statements import Row
from server.db_metrics import ObservedPool, json_pool_hooks
from server.settings import Settings


def sqlalchemy_url(url: str) -> str:
    """postgresql://... (as users write it) -> postgresql+asyncpg://..."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+asyncpg"):
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise ValueError(f"DATABASE_URL must be a postgresql:// URL, got scheme {parsed.drivername!r}")


def libpq_url(url: str) -> str:
    """postgresql+asyncpg://... -> postgresql://... (for asyncpg, psql and the seed runner)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def describe_host(url: str) -> str:
    parsed = make_url(url)
    host = parsed.host or str(parsed.query.get("host", "localhost"))
    return f"{host}:{parsed.port or 5432}" if parsed.host else host


def create_engine(url: str, settings: Settings, pooled: bool = True, writes: bool = False) -> AsyncEngine:
    """Reads and writes get engines of their own: reads never queue behind writes waiting on locks."""
    pool: dict[str, Any] = {"poolclass": NullPool}
    if pooled:
        pool = {"poolclass": ObservedPool, "pool_size": settings.pool_size}
        pool["max_overflow"] = settings.pool_max_overflow
        pool["pool_timeout"] = settings.pool_timeout_seconds
        pool["pool_logging_name"] = "writes" if writes else "reads"
    engine = create_async_engine(
        sqlalchemy_url(url),
        **pool,
        pool_recycle=1800,
        hide_parameters=True,  # errors and logs never carry bound values (personal data)
        connect_args={"server_settings": server_settings(settings, writes), **client_timeouts(settings)},
    )
    event.listen(engine.sync_engine.pool, "checkout", refuse_closed)
    return engine


def refuse_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A connection the database closed (it stopped or restarted) is replaced before a request gets it.

    SQLAlchemy's pool_pre_ping would ask the server, three round trips per checkout; the socket knows.
    """
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the database closed this connection")


def server_settings(settings: Settings, writes: bool = False) -> dict[str, str]:
    values = {
        "statement_timeout": str(settings.statement_timeout_ms),
        "application_name": "rastro",
        # Compiling an analytics plan costs seconds here and saves milliseconds: never worth it.
        "jit": "off",
    }
    if not writes:
        # Reports sort and hash 75,000-240,000 view rows at scale 100: 4MB (the default) spilled to disk.
        values["work_mem"] = "16MB"
    if writes:
        # A write waiting on another's row lock gives up (CONFLICT, retryable), freeing its connection.
        values["lock_timeout"] = str(settings.lock_timeout_ms)
    return values


def client_timeouts(settings: Settings) -> dict[str, float]:
    """asyncpg's bounds: a database that stopped answering (frozen, unreachable) fails, not hangs."""
    bounds = {"timeout": settings.connect_timeout_seconds}
    if settings.statement_timeout_ms:
        # Past the server's statement_timeout, which should fire first and say so.
        bounds["command_timeout"] = settings.statement_timeout_ms / 1000 + COMMAND_TIMEOUT_MARGIN_SECONDS
    return bounds


COMMAND_TIMEOUT_MARGIN_SECONDS = 5.0


async def create_json_pool(
    url: str, settings: Settings, observers: Sequence[Callable[[str], None]] = ()
) -> Any:
    """asyncpg connections for the compiled read path: one statement per request, no ORM in between."""
    return await _asyncpg_pool(url, settings, "compiled", settings.pool_size, observers=observers)


async def create_tracking_pool(url: str, settings: Settings) -> Any:
    """asyncpg connections for tracking writes (resolvers.ingest.statements): short transactions, no ORM."""
    # As many connections as the write engine may open, with the write rules (lock_timeout).
    size = settings.pool_size + settings.pool_max_overflow
    return await _asyncpg_pool(url, settings, "tracking", size, writes=True, record_class=Row)


async def _asyncpg_pool(
    url: str,
    settings: Settings,
    label: str,
    max_size: int,
    writes: bool = False,
    record_class: type[Any] = asyncpg.Record,
    observers: Sequence[Callable[[str], None]] = (),
) -> Any:
    acquired, released, counted = json_pool_hooks(label)

    async def watch(connection: Any) -> None:
        await counted(connection)
        for observe in observers:
            connection.add_query_logger(lambda logged, observe=observe: observe(logged.query))

    return await asyncpg.create_pool(
        libpq_url(url),
        min_size=0,
        max_size=max_size,
        server_settings=server_settings(settings, writes),
        **client_timeouts(settings),
        record_class=record_class,
        setup=acquired,
        reset=released,
        init=watch,
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for reads: autocommit, so no BEGIN/ROLLBACK round trips around their statements."""
    return async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
