"""What a GraphQL field reads, declared once: resolvers load by it, the compiled path writes SQL from it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import Ordering

# Key of a Strawberry field's metadata holding one of the specs below.
READS = "rastro.reads"
# Key of a Strawberry field's metadata marking personal data (null for roles that may not see it).
PERSONAL = "rastro.personal"

Columns = tuple[InstrumentedAttribute[Any], ...]


@dataclass(frozen=True)
class ColumnRead:
    """A scalar field that is one column of the row (under another name, or through a custom resolver).

    A string names the attribute on the model of whichever type declares the field.
    """

    column: InstrumentedAttribute[Any] | str


@dataclass(frozen=True)
class Relation:
    """Rows of the target whose `columns` equal the parent row's `parent` attributes.

    To-many relations are connections in `ordering`; `filters` are arguments the rows' columns must equal.
    """

    columns: Columns
    parent: tuple[str, ...]
    ordering: Ordering | None = None
    filters: tuple[tuple[str, InstrumentedAttribute[Any]], ...] = ()
    # (target column, parent attribute): rows are no older than the parent, so monthly partitions of the
    # target before the parent's month are skipped. The compiled path says it; the Python path need not.
    since: tuple[InstrumentedAttribute[Any], str] | None = None

    @property
    def model(self) -> type[Any]:
        return cast(type[Any], self.columns[0].class_)

    def key(self, row: object) -> Any:
        """The parent row's key for this relation; None when any part of it is null."""
        values = tuple(getattr(row, attr) for attr in self.parent)
        if any(value is None for value in values):
            return None
        return values[0] if len(values) == 1 else values


@dataclass(frozen=True)
class Lookup:
    """A root field answering one row when exactly these arguments are given (the first in `ordering`)."""

    arguments: tuple[str, ...]
    columns: Columns
    ordering: Ordering | None = None
    # Turns the argument's value into the column's (an e-mail into its lookup hash).
    convert: Callable[[Any], Any] | None = None

    @property
    def model(self) -> type[Any]:
        return cast(type[Any], self.columns[0].class_)


@dataclass(frozen=True)
class RootLookups:
    lookups: tuple[Lookup, ...]


@dataclass(frozen=True)
class RootList:
    """A root connection over `model` in `ordering`; `equals` are arguments a column must equal.

    `where` turns the `filter` argument into conditions, `order` the `orderBy` argument into an ordering.
    """

    model: type[Any]
    ordering: Ordering
    equals: tuple[tuple[str, InstrumentedAttribute[Any]], ...] = field(default=())
    convert: tuple[tuple[str, Callable[[Any], Any]], ...] = field(default=())
    where: Callable[[Any], list[ColumnElement[bool]]] | None = None
    order: Callable[[Any], Ordering] | None = None


@dataclass(frozen=True)
class ReportRead:
    """A report whose rows are its statement's: `build` takes the field's arguments as its resolver does and
    returns what it reads (resolvers.analytics.statement.ReportQuery), or raises what the resolver raises."""

    build: Callable[..., Any]


@dataclass(frozen=True)
class Namespace:
    """A root field whose object only groups fields (the reports of `analytics`), open to `roles` alone."""

    roles: frozenset[Any]


def reads(spec: object) -> dict[str, object]:
    """Strawberry field metadata declaring what the field reads."""
    return {READS: spec}
