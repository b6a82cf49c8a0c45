"""Tracking writes on plain asyncpg: the same text() statements, compiled once, in one pooled transaction.

A beacon runs three to five short statements; an ORM session around them cost more CPU than they did.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import asyncpg
from cachetools import LRUCache
from sqlalchemy import TextClause
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from resolvers.mutations.transaction import failed

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]
# By id(): each entry keeps its statement, so the id is not reused while cached. Bounded, so that a statement
# built per call costs a compilation rather than an entry for ever (one per new landing page did).
COMPILED_SIZE = 64
_COMPILED: LRUCache[int, tuple[TextClause, str, tuple[str, ...]]] = LRUCache(maxsize=COMPILED_SIZE)


class Row(asyncpg.Record):  # type: ignore[misc]  # asyncpg has no stubs
    """A record whose columns read as attributes too, as SQLAlchemy rows do."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Rows(Protocol):
    def one(self) -> Any: ...
    def one_or_none(self) -> Any: ...
    def all(self) -> Sequence[Any]: ...


class Statements(Protocol):
    """What the tracking writes need of a transaction: an AsyncSession or a `Transaction` below."""

    async def execute(self, statement: TextClause, params: dict[str, Any] | None = None) -> Rows: ...
    async def scalar(self, statement: TextClause, params: dict[str, Any] | None = None) -> Any: ...
    async def scalars(self, statement: TextClause, params: dict[str, Any] | None = None) -> Rows: ...


class Records:
    def __init__(self, records: list[Any]) -> None:
        self._records = records

    def one(self) -> Any:
        if len(self._records) != 1:
            raise LookupError(f"expected one row, got {len(self._records)}")
        return self._records[0]

    def one_or_none(self) -> Any:
        if len(self._records) > 1:
            raise LookupError(f"expected at most one row, got {len(self._records)}")
        return self._records[0] if self._records else None

    def all(self) -> list[Any]:
        return self._records


def compiled(statement: TextClause) -> tuple[str, tuple[str, ...]]:
    """The statement with $n placeholders, and the parameter name of each n (cached per statement)."""
    found = _COMPILED.get(id(statement))
    if found is None or found[0] is not statement:
        done = statement.compile(dialect=_DIALECT)
        found = _COMPILED[id(statement)] = (statement, done.string, tuple(done.positiontup or ()))
    return found[1], found[2]


def compiled_count() -> int:
    """Statements compiled and remembered in this process."""
    return len(_COMPILED)


class Transaction:
    """Statements on one connection, inside a transaction unless the caller asked for none."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def atomic(self) -> Any:
        """A transaction (a savepoint inside one) around the statements run in its block."""
        return self._connection.transaction()

    async def _fetch(self, statement: TextClause, params: dict[str, Any]) -> list[Any]:
        sql, names = compiled(statement)
        return list(await self._connection.fetch(sql, *(params[name] for name in names)))

    async def execute(self, statement: TextClause, params: dict[str, Any] | None = None) -> Records:
        return Records(await self._fetch(statement, params or {}))

    async def scalar(self, statement: TextClause, params: dict[str, Any] | None = None) -> Any:
        records = await self._fetch(statement, params or {})
        return records[0][0] if records else None

    async def scalars(self, statement: TextClause, params: dict[str, Any] | None = None) -> Records:
        return Records([record[0] for record in await self._fetch(statement, params or {})])


@asynccontextmanager
async def tracking_transaction(
    pool: Any, mutation: str, atomic: bool = True, wait: float | None = None
) -> AsyncIterator[Transaction]:
    """A pooled connection in a transaction; an unexpected failure rolls back and is logged without values.

    `atomic=False` spares BEGIN and COMMIT (two round trips) to callers whose only write is one statement;
    `wait` bounds the wait for a free connection (then SERVICE_UNAVAILABLE, as the other pools).
    """
    try:
        async with pool.acquire(timeout=wait) as connection:
            if not atomic:
                yield Transaction(connection)
                return
            async with connection.transaction():
                yield Transaction(connection)
    except Exception as error:
        raise failed(mutation, error) from None


class OnDemand:
    """Each statement on a connection taken only when it runs: for lookups that a cache mostly answers."""

    def __init__(self, pool: Any, mutation: str, wait: float | None) -> None:
        self._pool, self._mutation, self._wait = pool, mutation, wait

    def _connection(self) -> AbstractAsyncContextManager[Transaction]:
        return tracking_transaction(self._pool, self._mutation, atomic=False, wait=self._wait)

    async def execute(self, statement: TextClause, params: dict[str, Any] | None = None) -> Records:
        async with self._connection() as session:
            return await session.execute(statement, params)

    async def scalar(self, statement: TextClause, params: dict[str, Any] | None = None) -> Any:
        async with self._connection() as session:
            return await session.scalar(statement, params)

    async def scalars(self, statement: TextClause, params: dict[str, Any] | None = None) -> Records:
        async with self._connection() as session:
            return await session.scalars(statement, params)
