"""Per-request DataLoader registry: one loader per (kind, relation, filters, ordering, window)."""

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import Ordering, Window
from loaders.paged import child_counts, paged_children
from loaders.rows import one_by, rows_by

Columns = tuple[InstrumentedAttribute[Any], ...]


class LoaderRegistry:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def _get(self, key: Hashable, factory: Callable[[], DataLoader[Any, Any]]) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = factory()
        return loader

    def one(self, *columns: InstrumentedAttribute[Any]) -> DataLoader[Any, Any]:
        return self._get(("one", columns), lambda: one_by(self.sessions, columns))

    def many(
        self,
        columns: Columns,
        where: Sequence[ColumnElement[bool]] = (),
        where_key: Hashable = None,
        order_by: Sequence[ColumnElement[Any]] = (),
    ) -> DataLoader[Any, Any]:
        return self._get(
            ("many", columns, where_key), lambda: rows_by(self.sessions, columns, where, order_by)
        )

    def paged(
        self,
        columns: Columns,
        where: Sequence[ColumnElement[bool]],
        where_key: Hashable,
        ordering: Ordering,
        window: Window,
    ) -> DataLoader[Any, Any]:
        return self._get(
            ("paged", columns, where_key, ordering.name, window),
            lambda: paged_children(self.sessions, columns, where, ordering, window),
        )

    def counts(
        self, columns: Columns, where: Sequence[ColumnElement[bool]], where_key: Hashable
    ) -> DataLoader[Any, Any]:
        return self._get(("count", columns, where_key), lambda: child_counts(self.sessions, columns, where))
