"""Relation fields in one line each: to_one (object or null) and to_many (a connection), batched."""

from collections.abc import Hashable, Sequence
from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import Ordering, Window, connection_tag
from loaders.page import Page, build_page, empty_page
from loaders.relation import Relation, reads
from resolvers.context import Info
from resolvers.pagination import window
from schema.pagination import Connection

Columns = tuple[InstrumentedAttribute[Any], ...]


def lazy(type_name: str, module: str) -> Any:
    """A reference to a GraphQL type defined in another module (resolved when the schema is built)."""
    return Annotated[type_name, strawberry.lazy(module)]


def relation(
    target: InstrumentedAttribute[Any] | Columns,
    parent: str | tuple[str, ...],
    ordering: Ordering | None = None,
    filters: tuple[tuple[str, InstrumentedAttribute[Any]], ...] = (),
) -> Relation:
    columns = target if isinstance(target, tuple) else (target,)
    return Relation(columns, parent if isinstance(parent, tuple) else (parent,), ordering, filters)


def to_one(
    target: InstrumentedAttribute[Any] | Columns, parent: str | tuple[str, ...], node: Any, description: str
) -> Any:
    """The row of `target` whose key equals the parent's `parent` attribute(s); null when none."""
    spec = relation(target, parent)

    async def resolve(root: strawberry.Parent[Any], info: Info) -> Any:
        key = spec.key(root)
        return None if key is None else await info.context.loaders.one(*spec.columns).load(key)

    resolve.__annotations__["return"] = node | None
    return strawberry.field(resolver=resolve, description=description, metadata=reads(spec))


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


# limit + 1 rows are fetched per key; the first one is all first_row needs.
ONE = Window(limit=1)


async def first_row(info: Info, columns: Columns, key: Any, ordering: Ordering) -> Any:
    """The first row with `columns` equal to `key` in `ordering`; one statement for all keys of a level."""
    if key is None:
        return None
    rows = await info.context.loaders.paged(columns, [], None, ordering, ONE).load(key)
    return rows[0] if rows else None


def to_many(
    target: InstrumentedAttribute[Any] | Columns,
    parent: str | tuple[str, ...],
    node: Any,
    ordering: Ordering,
    description: str,
) -> Any:
    """The rows of the target table whose `target` column(s) equal the parent's `parent` attribute(s)."""
    spec = relation(target, parent, ordering)

    async def resolve(
        root: strawberry.Parent[Any],
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Any:
        return Connection(page=await children_page(info, spec, spec.key(root), first, after, last, before))

    resolve.__annotations__["return"] = Connection[node]  # type: ignore[valid-type]
    return strawberry.field(resolver=resolve, description=description, metadata=reads(spec))
