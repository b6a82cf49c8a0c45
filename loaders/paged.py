"""Paged children of many parents in ONE statement (row_number() OVER (PARTITION BY parent)), and counts."""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import Ordering, Window, after_predicate
from loaders.page import Page, build_page
from loaders.rows import key_in, key_of


def _window_filters(ordering: Ordering, window: Window) -> list[ColumnElement[bool]]:
    return [] if window.cursor is None else [after_predicate(ordering, window.cursor, window.backward)]


def paged_children(
    sessions: async_sessionmaker[AsyncSession],
    columns: Sequence[InstrumentedAttribute[Any]],
    where: Sequence[ColumnElement[bool]],
    ordering: Ordering,
    window: Window,
) -> Any:
    """parent key -> up to window.limit + 1 child rows in the window's order."""
    model = columns[0].class_

    async def load(keys: list[Any]) -> list[list[Any]]:
        rank = (
            func.row_number()
            .over(partition_by=list(columns), order_by=ordering.clauses(window.backward))
            .label("rank")
        )
        (key,) = model.__table__.primary_key.columns
        ranked = (
            select(key, rank)
            .where(key_in(columns, keys), *where, *_window_filters(ordering, window))
            .subquery()
        )
        # Rank only the keys, then load whole rows by key: the ORM maps a plain select of the model fastest.
        statement = (
            select(model)
            .where(key.in_(select(ranked.c[key.name]).where(ranked.c.rank <= window.limit + 1)))
            .order_by(*columns, *ordering.clauses(window.backward))
        )
        async with sessions() as session:
            rows = (await session.execute(statement)).scalars().all()
        grouped: dict[Hashable, list[Any]] = defaultdict(list)
        for row in rows:
            grouped[key_of(row, columns)].append(row)
        return [grouped.get(key, []) for key in keys]

    return DataLoader(load)


def child_counts(
    sessions: async_sessionmaker[AsyncSession],
    columns: Sequence[InstrumentedAttribute[Any]],
    where: Sequence[ColumnElement[bool]],
) -> Any:
    """parent key -> number of child rows (for totalCount, only when selected)."""

    async def load(keys: list[Any]) -> list[int]:
        statement = select(*columns, func.count()).where(key_in(columns, keys), *where).group_by(*columns)
        async with sessions() as session:
            result = (await session.execute(statement)).all()
        counts = {(row[0] if len(columns) == 1 else tuple(row[:-1])): row[-1] for row in result}
        return [counts.get(key, 0) for key in keys]

    return DataLoader(load)


async def root_page(
    sessions: async_sessionmaker[AsyncSession],
    model: type[Any],
    where: Sequence[ColumnElement[bool]],
    ordering: Ordering,
    tag: str,
    window: Window,
) -> Page[Any]:
    """A top-level connection page: filters, keyset window, limit + 1."""
    statement = (
        select(model)
        .where(*where, *_window_filters(ordering, window))
        .order_by(*ordering.clauses(window.backward))
        .limit(window.limit + 1)
    )
    async with sessions() as session:
        rows = list((await session.execute(statement)).scalars().all())

    async def count() -> int:
        async with sessions() as session:
            return int(
                (await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one()
            )

    return build_page(rows, tag, ordering, window, count)
