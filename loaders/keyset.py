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


# What PostgreSQL's integer types hold: a cursor value beyond them would fail in the database.
INTEGER_BOUNDS = {"SmallInteger": 2**15, "Integer": 2**31, "BigInteger": 2**63}


def fits_integer(column: InstrumentedAttribute[Any], value: int) -> bool:
    """Whether the integer column can hold `value` (asyncpg refuses to send one it cannot)."""
    bound = INTEGER_BOUNDS.get(type(column.type).__name__, 2**63)
    return -bound <= value < bound


def _typed(column: InstrumentedAttribute[Any], value: Any) -> Any:
    """The cursor value as the column's Python type, or ValueError: checked as the column holds it."""
    if value is None:
        return None
    kind = column.type.python_type
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not fits_integer(column, value):
            raise ValueError
        return value
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError  # every other value travels as a string (see _plain)
    if kind is str:
        return value
    if kind is Decimal:
        number = Decimal(value)
        precision, scale = getattr(column.type, "precision", None), getattr(column.type, "scale", None) or 0
        digits = precision - scale if precision else 1000  # PostgreSQL would refuse larger literals
        if not number.is_finite() or (number and not -1000 < number.adjusted() < digits):
            raise ValueError
        return number
    if kind is dt.datetime:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError
        moment.astimezone(dt.UTC)  # OverflowError past the years PostgreSQL and Python share
        return moment
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is uuid.UUID:
        return uuid.UUID(value)
    raise ValueError


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
    except (ArithmeticError, TypeError, ValueError) as error:  # decimal.InvalidOperation is both
        raise CursorError("is not a valid cursor") from error


def after_predicate(ordering: Ordering, values: tuple[Any, ...], backward: bool) -> ColumnElement[bool]:
    """Rows strictly after `values` in the ordering (before them when paging backward)."""
    alternatives: list[ColumnElement[bool]] = []
    for index, ((column, descending), value) in enumerate(zip(ordering.columns, values, strict=True)):
        equal_prefix = [c == v for (c, _), v in zip(ordering.columns[:index], values[:index], strict=True)]
        beyond = column < value if descending != backward else column > value
        alternatives.append(and_(*equal_prefix, beyond))
    return or_(*alternatives) if alternatives else false()
