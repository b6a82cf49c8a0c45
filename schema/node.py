"""Relay Node: global ids ('Type:key' in base64) for every type, and node(id:) lookups by loader."""

import asyncio
import base64
import binascii
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar, cast

import strawberry
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import fits_integer
from loaders.nodes import KINDS_BY_MODEL, KINDS_BY_NAME, NodeKind
from loaders.relation import ColumnRead, Lookup, reads
from resolvers.context import Info
from resolvers.errors import ArgumentError

T = TypeVar("T", bound=type)


def encode_global_id(row: object) -> str:
    kind = KINDS_BY_MODEL[type(row)]
    return base64.b64encode(f"{kind.name}:{getattr(row, kind.key.key)}".encode()).decode()


def decode_global_id(global_id: str, argument: str = "id") -> tuple[NodeKind, Any]:
    try:
        name, _, raw_key = base64.b64decode(global_id, validate=True).decode().partition(":")
        kind = KINDS_BY_NAME[name]
        python_type = kind.key.type.python_type
        key = uuid.UUID(raw_key) if python_type is uuid.UUID else python_type(raw_key)
        if isinstance(key, int) and not fits_integer(kind.key, key):
            raise ValueError("out of the key column's range")
        return kind, key
    except (binascii.Error, UnicodeDecodeError, KeyError, ValueError) as error:
        raise ArgumentError(argument, f"is not a valid global id: {global_id[:80]!r}") from error


def decode_key(global_id: str, model: type[Any], argument: str = "id") -> Any:
    """The key of a global id that must name a `model` row (a lookup's `id`)."""
    kind, key = decode_global_id(global_id, argument)
    if kind.model is not model:
        wanted = KINDS_BY_MODEL[model].name
        raise ArgumentError(argument, f"is the global id of a {kind.name}, not of a {wanted}")
    return key


def by_global_id(key: InstrumentedAttribute[Any]) -> Lookup:
    """A root lookup's `id` argument: a global id of the key's model, checked on both read paths."""
    return Lookup(("id",), (key,), None, partial(decode_key, model=cast(type[Any], key.class_)))


@strawberry.interface(description="An object with a global id, fetchable with node(id:).")
class Node:
    @strawberry.field(description="Global id: opaque and stable; accepted by node(id:) and nodes(ids:).")
    def id(self, root: strawberry.Parent[Any]) -> strawberry.ID:
        return strawberry.ID(encode_global_id(root))


def integer_key(description: str, column: str = "id") -> Any:
    """An integer key column under the name the type gives it (customerId, transactionInternalId...)."""

    def resolve(root: strawberry.Parent[Any]) -> int:
        return int(getattr(root, column))

    return strawberry.field(resolver=resolve, description=description, metadata=reads(ColumnRead(column)))


def node_type(model: type[Any], key: InstrumentedAttribute[Any], description: str) -> Callable[[T], T]:
    """Declare a GraphQL type whose resolvers receive `model` rows, and register it as a Node."""

    def wrap(cls: T) -> T:
        name = cls.__name__
        kind = NodeKind(name=name, model=model, key=key)
        KINDS_BY_NAME[name] = kind
        KINDS_BY_MODEL[model] = kind

        def is_type_of(obj: object, _info: Any) -> bool:
            return isinstance(obj, model | cls)

        cls.is_type_of = staticmethod(is_type_of)  # type: ignore[attr-defined]
        return strawberry.type(cls, name=name, description=description)

    return wrap


N = TypeVar("N")


def exposed(graphql_type: type[N], row: object | None) -> N | None:
    """Resolvers return model rows; Strawberry exposes one as `graphql_type` (its is_type_of accepts it)."""
    return cast(N | None, row)


async def lookup(
    info: Info, graphql_type: type[N], key: Any, *columns: InstrumentedAttribute[Any]
) -> N | None:
    """The row whose `columns` equal `key`, exposed as `graphql_type`; None when there is none."""
    return exposed(
        graphql_type, await info.context.loaders.one(cast(type[Any], columns[0].class_), *columns).load(key)
    )


async def load_node(info: Info, global_id: str, argument: str = "id") -> Any:
    kind, key = decode_global_id(global_id, argument)
    return await info.context.loaders.one(kind.model, kind.key).load(key)


async def load_nodes(info: Info, global_ids: list[strawberry.ID], argument: str = "ids") -> list[Any]:
    """Every id is checked first; then each type's ids load in one batch (one statement per type)."""
    decoded = [decode_global_id(global_id, argument) for global_id in global_ids]
    loaders = info.context.loaders
    return list(await asyncio.gather(*(loaders.one(kind.model, kind.key).load(key) for kind, key in decoded)))
