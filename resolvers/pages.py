"""A page of a connection, root or child: Relay arguments to a keyset window, rows from the loaders.

The SQL is in loaders/paged.py, the Page and its cursors in loaders/page.py, the cursor's connection tag
in loaders/keyset.connection_tag; the compiled path writes the same pages in SQL (resolvers/compiled).
"""

from collections.abc import Hashable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import Ordering, Window, connection_tag
from loaders.page import Page, build_page, empty_page
from loaders.paged import root_page
from loaders.relation import Relation
from resolvers.context import Info
from resolvers.pagination import window


async def root_connection(
    info: Info,
    model: type[Any],
    where: list[ColumnElement[bool]],
    ordering: Ordering,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Page[Any]:
    tag = connection_tag(model, ordering)
    page_window = window(info.context.limits, tag, ordering, first, after, last, before)
    return await root_page(info.context.loaders.sessions, model, where, ordering, tag, page_window)


async def children_page(
    info: Info,
    spec: Relation,
    key: Any,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    where: Sequence[ColumnElement[bool]] = (),
    where_key: Hashable = None,
) -> Page[Any]:
    """One parent's page of children; all parents of a level share one statement through the loader."""
    assert spec.ordering is not None
    tag = connection_tag(spec.model, spec.ordering)
    page_window = window(info.context.limits, tag, spec.ordering, first, after, last, before)
    if key is None:
        return empty_page()
    loaders = info.context.loaders
    rows = await loaders.paged(spec.columns, where, where_key, spec.ordering, page_window).load(key)
    counts = loaders.counts(spec.columns, where, where_key)

    async def count() -> int:
        return int(await counts.load(key))

    return build_page(list(rows), tag, spec.ordering, page_window, count)


M = TypeVar("M")

# limit + 1 rows are fetched per key; the first one is all first_row needs.
ONE = Window(limit=1)


async def first_row(
    info: Info, model: type[M], columns: tuple[InstrumentedAttribute[Any], ...], key: Any, ordering: Ordering
) -> M | None:
    """The first row with `columns` equal to `key` in `ordering`; one statement for all keys of a level."""
    if key is None:
        return None
    rows = await info.context.loaders.paged(columns, [], None, ordering, ONE).load(key)
    return cast(M, rows[0]) if rows else None
