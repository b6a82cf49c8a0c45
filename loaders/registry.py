"""Per-request DataLoader registry: one loader per (kind, relation, filters, ordering, window), typed."""

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import Ordering, Window
from loaders.paged import child_counts, paged_children
from loaders.rows import one_by, rows_by
from telemetry.metrics import LOADER_BATCH_SIZE

Columns = tuple[InstrumentedAttribute[Any], ...]
M = TypeVar("M")
V_co = TypeVar("V_co", covariant=True)


class Loader(Protocol[V_co]):
    """What resolvers use of a DataLoader: a key's value, batched with the other keys of the tick."""

    def load(self, key: Hashable) -> Awaitable[V_co]: ...


def observed(loader: Loader[object], kind: str, columns: Columns) -> Loader[object]:
    """Records each batch's size (rastro_dataloader_batch_size) by kind and table."""
    dataloader = cast(Any, loader)  # an aiodataloader DataLoader: its batch function is an attribute
    batch = dataloader.batch_load_fn
    histogram = LOADER_BATCH_SIZE.labels(kind, columns[0].class_.__tablename__)

    async def load(keys: list[Any]) -> Any:
        histogram.observe(len(keys))
        return await batch(keys)

    dataloader.batch_load_fn = load
    return loader


class Shielded:
    """A loader whose waiters share a future without owning it.

    graphql-core cancels a field's siblings when one fails; a cancelled waiter would cancel the batch's
    future for every other field awaiting the same key, and the whole request would end in CancelledError.
    """

    def __init__(self, loader: Loader[object]) -> None:
        self._loader = loader

    def load(self, key: Hashable) -> Awaitable[object]:
        return asyncio.shield(self._loader.load(key))


def _label(key: Hashable) -> tuple[str, Columns]:
    kind, columns = cast(tuple[str, Columns], key)[:2]
    return kind, columns


class LoaderRegistry:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._loaders: dict[Hashable, Loader[object]] = {}

    def _get(self, key: Hashable, factory: Callable[[], Loader[object]]) -> Loader[object]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = Shielded(observed(factory(), *_label(key)))
        return loader

    def one(self, model: type[M], *columns: InstrumentedAttribute[Any]) -> Loader[M | None]:
        """The `model` row whose `columns` equal the key (a tuple for several columns), or None."""
        loader = self._get(("one", columns), lambda: one_by(self.sessions, columns))
        return cast(Loader[M | None], loader)

    def many(
        self,
        columns: Columns,
        where: Sequence[ColumnElement[bool]] = (),
        where_key: Hashable = None,
        order_by: Sequence[ColumnElement[Any]] = (),
    ) -> Loader[list[Any]]:
        loader = self._get(
            ("many", columns, where_key), lambda: rows_by(self.sessions, columns, where, order_by)
        )
        return cast(Loader[list[Any]], loader)

    def paged(
        self,
        columns: Columns,
        where: Sequence[ColumnElement[bool]],
        where_key: Hashable,
        ordering: Ordering,
        window: Window,
    ) -> Loader[list[Any]]:
        loader = self._get(
            ("paged", columns, where_key, ordering.name, window),
            lambda: paged_children(self.sessions, columns, where, ordering, window),
        )
        return cast(Loader[list[Any]], loader)

    def counts(
        self, columns: Columns, where: Sequence[ColumnElement[bool]], where_key: Hashable
    ) -> Loader[int]:
        loader = self._get(("count", columns, where_key), lambda: child_counts(self.sessions, columns, where))
        return cast(Loader[int], loader)
