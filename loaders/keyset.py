"""Keyset pagination: orderings, opaque cursors, and the 'after this row' predicate."""

import base64
import binascii
import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.orm import InstrumentedAttribute


class CursorError(ValueError):
    """A cursor that is not ours, or that belongs to another connection or ordering."""


@dataclass(frozen=True)
class Ordering:
    """Sort columns (each ascending or descending), the last one unique so the order is total."""

    name: str
    columns: tuple[tuple[InstrumentedAttribute[Any], bool], ...]

    def clauses(self, backward: bool = False) -> list[ColumnElement[Any]]:
        return [
            column.desc() if descending != backward else column.asc() for column, descending in self.columns
        ]

    def values(self, row: object) -> list[Any]:
        return [getattr(row, column.key) for column, _ in self.columns]


def asc(name: str, *columns: InstrumentedAttribute[Any]) -> Ordering:
    return Ordering(name, tuple((column, False) for column in columns))


def desc(name: str, *columns: InstrumentedAttribute[Any]) -> Ordering:
    return Ordering(name, tuple((column, True) for column in columns))


@dataclass(frozen=True)
class Window:
    """What one connection page asks for: how many rows, from which cursor, in which direction."""

    limit: int
    cursor: tuple[Any, ...] | None = None
    backward: bool = False


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | uuid.UUID | Decimal):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    return value


def connection_tag(model: type[Any], ordering: Ordering) -> str:
    """Names a connection's table and order inside its cursors, so a cursor of another one is refused."""
    return f"{model.__tablename__}:{ordering.name}"


def encode_cursor(tag: str, values: Sequence[Any]) -> str:
    # Non-ASCII kept as UTF-8 (as PostgreSQL's to_json writes it), so SQL can build the same cursor.
    raw = json.dumps([tag, [_plain(v) for v in values]], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _typed(column: InstrumentedAttribute[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type.python_type
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is bool and not isinstance(value, bool):
        raise TypeError
    return kind(value)


def decode_cursor(tag: str, ordering: Ordering, cursor: str) -> tuple[Any, ...]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found_tag, values = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as error:
        raise CursorError("is not a valid cursor") from error
    if found_tag != tag or not isinstance(values, list) or len(values) != len(ordering.columns):
        raise CursorError("is a cursor of another connection or ordering")
    try:
        return tuple(
            _typed(column, value) for (column, _), value in zip(ordering.columns, values, strict=True)
        )
    except (TypeError, ValueError) as error:
        raise CursorError("is not a valid cursor") from error


def after_predicate(ordering: Ordering, values: tuple[Any, ...], backward: bool) -> ColumnElement[bool]:
    """Rows strictly after `values` in the ordering (before them when paging backward)."""
    alternatives: list[ColumnElement[bool]] = []
    for index, ((column, descending), value) in enumerate(zip(ordering.columns, values, strict=True)):
        equal_prefix = [c == v for (c, _), v in zip(ordering.columns[:index], values[:index], strict=True)]
        beyond = column < value if descending != backward else column > value
        alternatives.append(and_(*equal_prefix, beyond))
    return or_(*alternatives) if alternatives else false()
