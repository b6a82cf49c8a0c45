"""Engine instrumentation: statements per request, pool connections in use and callers waiting for one."""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from telemetry import metrics
from telemetry.request import count_statement


class ObservedPool(AsyncAdaptedQueuePool):
    """The default async pool, counting callers that wait because every connection is out.

    The pool's label is its `pool_logging_name` (kept when SQLAlchemy recreates the pool).
    """

    def _do_get(self) -> ConnectionPoolEntry:
        if self.checkedout() < self.size() + self._max_overflow:
            return super()._do_get()
        waiting = metrics.POOL_WAITING.labels(self._orig_logging_name or "primary")
        waiting.inc()
        try:
            return super()._do_get()
        finally:
            waiting.dec()


def observe_engine(engine: AsyncEngine) -> None:
    pool = engine.sync_engine.pool
    in_use = metrics.POOL_IN_USE.labels(getattr(pool, "_orig_logging_name", None) or "primary")

    def checkout(*_args: Any) -> None:
        in_use.inc()

    def checkin(*_args: Any) -> None:
        in_use.dec()

    def statement(*_args: Any) -> None:
        count_statement()

    event.listen(pool, "checkout", checkout)
    event.listen(pool, "checkin", checkin)
    event.listen(engine.sync_engine, "before_cursor_execute", statement)


Hook = Callable[[Any], Awaitable[None]]


def json_pool_hooks(label: str = "compiled") -> tuple[Hook, Hook, Hook]:
    """asyncpg pool callbacks (setup, reset, init): connections in use, statements per request."""
    in_use = metrics.POOL_IN_USE.labels(label)

    async def acquired(_connection: Any) -> None:
        in_use.inc()

    async def released(_connection: Any) -> None:
        # Replaces asyncpg's reset round trip too: compiled statements leave no session state.
        in_use.dec()

    async def counted(connection: Any) -> None:
        connection.add_query_logger(_count_unless_transaction_control)

    return acquired, released, counted


def _count_unless_transaction_control(logged: Any) -> None:
    # As on the SQLAlchemy engines: BEGIN and COMMIT of a tracking write are not statements of the request.
    if not logged.query.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
        count_statement()
