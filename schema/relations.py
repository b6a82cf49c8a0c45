"""Relation fields in one line each: to_one (object or null) and to_many (a connection), batched."""

from typing import Annotated, Any

import strawberry
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import Ordering
from loaders.relation import Relation, reads
from resolvers.context import Info
from resolvers.pages import children_page
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
    since: tuple[InstrumentedAttribute[Any], str] | None = None,
) -> Relation:
    columns = target if isinstance(target, tuple) else (target,)
    return Relation(columns, parent if isinstance(parent, tuple) else (parent,), ordering, filters, since)


def to_one(
    target: InstrumentedAttribute[Any] | Columns, parent: str | tuple[str, ...], node: Any, description: str
) -> Any:
    """The row of `target` whose key equals the parent's `parent` attribute(s); null when none."""
    spec = relation(target, parent)

    async def resolve(root: strawberry.Parent[Any], info: Info) -> Any:
        key = spec.key(root)
        return None if key is None else await info.context.loaders.one(spec.model, *spec.columns).load(key)

    resolve.__annotations__["return"] = node | None
    return strawberry.field(resolver=resolve, description=description, metadata=reads(spec))


def to_many(
    target: InstrumentedAttribute[Any] | Columns,
    parent: str | tuple[str, ...],
    node: Any,
    ordering: Ordering,
    description: str,
    since: tuple[InstrumentedAttribute[Any], str] | None = None,
) -> Any:
    """The rows of the target table whose `target` column(s) equal the parent's `parent` attribute(s)."""
    spec = relation(target, parent, ordering, since=since)

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
