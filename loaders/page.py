"""One page of a connection, as loaders return it and the GraphQL Connection type reads it."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from loaders.keyset import Ordering, Window, encode_cursor

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    rows: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]


def build_page(
    rows: list[Any], tag: str, ordering: Ordering, window: Window, count: Callable[[], Awaitable[int]]
) -> Page[Any]:
    """`rows` were fetched with limit + 1 in the window's direction."""
    more = len(rows) > window.limit
    rows = rows[: window.limit]
    if window.backward:
        rows.reverse()
    cursors = [encode_cursor(tag, ordering.values(row)) for row in rows]
    after_cursor = window.cursor is not None
    return Page(
        rows=rows,
        cursors=cursors,
        has_next_page=more if not window.backward else after_cursor,
        has_previous_page=more if window.backward else after_cursor,
        count=count,
    )


async def no_rows() -> int:
    return 0


def empty_page() -> Page[Any]:
    return Page(rows=[], cursors=[], has_next_page=False, has_previous_page=False, count=no_rows)
