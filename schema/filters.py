"""Operator inputs of the root lists' filters, one per value type, and the and/or/not every root filter has.

resolvers/filters.py turns them into SQL; docs/decisions/filters.md says what each operator means.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.filters import MAX_IN

E = TypeVar("E")
V = TypeVar("V")

IN = f"Any of these values (at most {MAX_IN}); an empty list matches nothing."
IS_NULL = "true: the value is missing; false: it is present."


@strawberry.input(description="Conditions on a text value; every one given must hold.")
class StringFilter:
    eq: str | None = strawberry.field(default=None, description="Exactly this text.")
    ne: str | None = strawberry.field(default=None, description="Present and not this text.")
    in_: list[str] | None = strawberry.field(default=None, name="in", description=IN)
    is_null: bool | None = strawberry.field(default=None, description=IS_NULL)


@strawberry.input(description="Conditions on a text value a trigram index serves; every one given must hold.")
class SearchableStringFilter(StringFilter):
    contains: str | None = strawberry.field(
        default=None, description="Contains this text, whatever the case (% and _ are plain characters)."
    )


@strawberry.input(description="Conditions on an ordered value; every one given must hold.")
class Comparisons(Generic[V]):
    eq: V | None = strawberry.field(default=None, description="Exactly this value.")
    in_: list[V] | None = strawberry.field(default=None, name="in", description=IN)
    gt: V | None = strawberry.field(default=None, description="Greater (later) than this.")
    gte: V | None = strawberry.field(default=None, description="This or greater (later).")
    lt: V | None = strawberry.field(default=None, description="Less (earlier) than this.")
    lte: V | None = strawberry.field(default=None, description="This or less (earlier).")
    is_null: bool | None = strawberry.field(default=None, description=IS_NULL)


@strawberry.input(description="Conditions on a whole number; every one given must hold.")
class IntFilter(Comparisons[int]):
    pass


@strawberry.input(description="Conditions on an exact decimal (money); every one given must hold.")
class DecimalFilter(Comparisons[Decimal]):
    pass


@strawberry.input(description="Conditions on a moment (with its UTC offset); every one given must hold.")
class DateTimeFilter(Comparisons[dt.datetime]):
    pass


@strawberry.input(description="Conditions on a calendar day; every one given must hold.")
class DateFilter(Comparisons[dt.date]):
    pass


@strawberry.input(description="Conditions on an id; every one given must hold.")
class UUIDFilter:
    eq: uuid.UUID | None = strawberry.field(default=None, description="Exactly this id.")
    in_: list[uuid.UUID] | None = strawberry.field(default=None, name="in", description=IN)
    is_null: bool | None = strawberry.field(default=None, description=IS_NULL)


@strawberry.input(description="Conditions on a yes/no value; every one given must hold.")
class BooleanFilter:
    eq: bool | None = strawberry.field(default=None, description="Exactly this value.")
    is_null: bool | None = strawberry.field(default=None, description=IS_NULL)


@strawberry.input(description="Conditions on an enumerated value; every one given must hold.")
class EnumFilter(Generic[E]):
    eq: E | None = strawberry.field(default=None, description="Exactly this value.")
    in_: list[E] | None = strawberry.field(default=None, name="in", description=IN)


def root_filter(description: str) -> Any:
    """A root list's filter input: its fields, plus and/or/not over the same input."""

    def build(cls: type[Any]) -> Any:
        cls.__annotations__ = {
            **cls.__annotations__,
            "and_": list[cls] | None,  # type: ignore[valid-type]
            "or_": list[cls] | None,  # type: ignore[valid-type]
            "not_": cls | None,
        }
        cls.and_ = strawberry.field(default=None, name="and", description="Every one of these must hold too.")
        cls.or_ = strawberry.field(
            default=None, name="or", description="At least one of these must hold too (none: no row)."
        )
        cls.not_ = strawberry.field(default=None, name="not", description="This must not hold.")
        return strawberry.input(cls, description=description)

    return build
