"""Rows by key: one batched statement per DataLoader batch, on its own pooled session."""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any, cast

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, any_, literal, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute


def key_of(row: object, columns: Sequence[InstrumentedAttribute[Any]]) -> Hashable:
    if len(columns) == 1:
        return cast(Hashable, getattr(row, columns[0].key))
    return tuple(getattr(row, column.key) for column in columns)


def key_in(columns: Sequence[InstrumentedAttribute[Any]], keys: Sequence[Any]) -> ColumnElement[bool]:
    if len(columns) == 1:
        # One array parameter (= ANY) rather than one bind per key: much cheaper to build for big batches.
        column = columns[0]
        return column == any_(literal(list(keys), ARRAY(column.type)))
    return tuple_(*columns).in_(keys)


def rows_by(
    sessions: async_sessionmaker[AsyncSession],
    columns: Sequence[InstrumentedAttribute[Any]],
    where: Sequence[ColumnElement[bool]] = (),
    order_by: Sequence[ColumnElement[Any]] = (),
) -> Any:
    """key -> every row whose `columns` equal the key (a tuple when there are several columns)."""
    model = columns[0].class_

    async def load(keys: list[Any]) -> list[list[Any]]:
        async with sessions() as session:
            statement = select(model).where(key_in(columns, keys), *where).order_by(*order_by)
            rows = (await session.execute(statement)).scalars().all()
        grouped: dict[Hashable, list[Any]] = defaultdict(list)
        for row in rows:
            grouped[key_of(row, columns)].append(row)
        return [grouped.get(key, []) for key in keys]

    return DataLoader(load)


def one_by(sessions: async_sessionmaker[AsyncSession], columns: Sequence[InstrumentedAttribute[Any]]) -> Any:
    """key -> the row whose `columns` equal the key, or None (for unique keys)."""
    many = rows_by(sessions, columns)

    async def load(keys: list[Any]) -> list[Any]:
        found = await many.load_many(keys)
        return [rows[0] if rows else None for rows in found]

    return DataLoader(load)
