"""Root list filters and orders as SQL, for every root and both read paths.

A filter input is walked generically: each field given is looked up in the root's `FilterSpec`, and each
operator of its value (eq, in, gt, isNull, contains...) becomes one condition on one column, a condition
an index on that column can serve. Fields on related rows (`Via`) become one EXISTS / IN per filter level,
so one related row must meet all of that level's conditions. and/or/not nest the same walk.
"""

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Numeric,
    String,
    Uuid,
    and_,
    any_,
    bindparam,
    false,
    not_,
    or_,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeEngine
from strawberry.utils.str_converters import to_camel_case

from loaders.keyset import Ordering
from resolvers.errors import ArgumentError

# The longest `in` list: beyond it, a client is better served by a join it can express another way.
MAX_IN = 1000

# Digits a decimal filter value may have before or after the point: far beyond any amount Rastro stores.
MAX_DIGITS = 1000
Clauses = list[ColumnElement[bool]]


@dataclass(frozen=True)
class Via:
    """Conditions on a related table's columns, true for the row when one related row meets them all."""

    link: Callable[[Clauses], ColumnElement[bool]]


@dataclass(frozen=True)
class Column:
    """A filter field comparing one column (of the root's table, or of a related one through `via`)."""

    column: Any
    via: Via | None = None


# A filter field that is no column comparison (a yes/no question, a hashed lookup): value, path -> condition.
Predicate = Callable[[Any, str], ColumnElement[bool]]


@dataclass(frozen=True)
class FilterSpec:
    """How each field of a root's filter input (by Python name) reaches the row."""

    fields: Mapping[str, Column | Predicate]
    # Conditions that read several fields at once (a platform and its state): value -> conditions.
    combined: Callable[[Any], Clauses] | None = field(default=None)

    def where(self, value: Any, path: str = "filter") -> Clauses:
        """The filter's conditions (all must hold); none for no filter."""
        return [] if value is None else _level(self, value, path)


def _level(spec: FilterSpec, value: Any, path: str) -> Clauses:
    found: Clauses = []
    related: dict[Via, Clauses] = {}
    for name, target in spec.fields.items():
        wanted = getattr(value, name)
        if wanted is None:
            continue
        where = f"{path}.{to_camel_case(name)}"
        if isinstance(target, Column):
            conditions = operators(target.column, wanted, where)
            (related.setdefault(target.via, []) if target.via else found).extend(conditions)
        else:
            found.append(target(wanted, where))
    found += [via.link(conditions) for via, conditions in related.items()]
    if spec.combined is not None:
        found += spec.combined(value)
    if value.and_ is not None:
        found += [_all(_level(spec, inner, f"{path}.and[{i}]")) for i, inner in enumerate(value.and_)]
    if value.or_ is not None:
        found.append(
            or_(false(), *(_all(_level(spec, v, f"{path}.or[{i}]")) for i, v in enumerate(value.or_)))
        )
    if value.not_ is not None:
        found.append(not_(_all(_level(spec, value.not_, f"{path}.not"))))
    return found


def _all(conditions: Clauses) -> ColumnElement[bool]:
    return and_(true(), *conditions)


def given_anywhere(value: Any, name: str, path: str = "filter") -> tuple[str, Any] | None:
    """Where in a filter (at any depth) a field is given, and with what: for fields some roles may not use."""
    if value is None:
        return None
    if getattr(value, name) is not None:
        return f"{path}.{to_camel_case(name)}", getattr(value, name)
    inner = [(f"{path}.and[{i}]", v) for i, v in enumerate(value.and_ or [])]
    inner += [(f"{path}.or[{i}]", v) for i, v in enumerate(value.or_ or [])]
    inner += [] if value.not_ is None else [(f"{path}.not", value.not_)]
    return next((hit for where, v in inner if (hit := given_anywhere(v, name, where)) is not None), None)


# Parameters are bound as these types: never one that could truncate or overflow (varchar(20), smallint).
WIDE_TYPES: dict[type, TypeEngine[Any]] = {
    bool: Boolean(),
    int: BigInteger(),
    str: String(),
    Decimal: Numeric(),
}


def _wide(column: Any) -> TypeEngine[Any]:
    kind = column.type
    if isinstance(kind, DateTime):
        return DateTime(timezone=True)
    if isinstance(kind, Date):
        return Date()
    if isinstance(kind, Uuid):
        return Uuid()
    return WIDE_TYPES[kind.python_type]


def _plain(value: Any, where: str) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    # PostgreSQL's numeric (and asyncpg's encoding of it) stops short of Decimal's exponents.
    if isinstance(value, Decimal) and not (value.is_finite() and -MAX_DIGITS < value.adjusted() < MAX_DIGITS):
        raise ArgumentError(where, f"must be a finite number of at most {MAX_DIGITS} digits")
    return value


def operators(column: Any, value: Any, path: str) -> Clauses:
    """One condition per operator given in an operator input (StringFilter, IntFilter...)."""
    wide = _wide(column)
    conditions: Clauses = []
    for name, wanted in vars(value).items():
        if wanted is None:
            continue
        where = f"{path}.{to_camel_case(name.rstrip('_'))}"
        if name == "is_null":
            conditions.append(column.is_(None) if wanted else column.is_not(None))
        elif name == "in_":
            conditions.append(_any(column, wide, wanted, where))
        elif name == "contains":
            conditions.append(column.icontains(wanted, autoescape=True))
        else:
            bound = bindparam(None, _plain(wanted, where), type_=wide)
            conditions.append(COMPARISONS[name](column, bound))
    return conditions


COMPARISONS: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "eq": lambda column, value: column == value,
    "ne": lambda column, value: column != value,
    "gt": lambda column, value: column > value,
    "gte": lambda column, value: column >= value,
    "lt": lambda column, value: column < value,
    "lte": lambda column, value: column <= value,
}


def _any(column: Any, wide: TypeEngine[Any], values: Sequence[Any], where: str) -> ColumnElement[bool]:
    if len(values) > MAX_IN:
        raise ArgumentError(where, f"may hold at most {MAX_IN} values, got {len(values)}")
    if not values:
        return false()
    plain = [_plain(value, f"{where}[{i}]") for i, value in enumerate(values)]
    # One array parameter: the statement is the same whatever the list's length, and a btree serves it.
    matches: ColumnElement[bool] = column == any_(bindparam(None, plain, type_=ARRAY(wide)))
    return matches


def ordering(
    model: type[Any], default: Ordering, keys: Sequence[Any] | None, path: str = "orderBy"
) -> Ordering:
    """The order of sort keys (each with `field` and `direction`), ties broken by the primary key."""
    if not keys:
        return default
    primary = default.columns[-1][0]
    columns: list[tuple[Any, bool]] = []
    names: list[str] = []
    for index, key in enumerate(keys):
        name = key.field.value
        if name in names:
            raise ArgumentError(f"{path}[{index}].field", f"sorts by {key.field.name} a second time")
        names.append(name)
        columns.append((getattr(model, name), key.direction.value == "desc"))
    label = ",".join(f"{key.field.value}_{key.direction.value}" for key in keys)
    return Ordering(label, (*columns, (primary, columns[-1][1])))
