"""Where a compiled query takes request values: connections and lookups turn arguments into parameters.

Arguments decide the SQL's shape too (paging direction, a cursor or not, which filters): a site's `bind`
returns that decision with the parameters, and the SQL is written once per combination of decisions.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, GraphQLField

from loaders.keyset import Ordering
from loaders.relation import Lookup
from resolvers.context import Limits
from resolvers.pagination import window

PAGING = ("first", "after", "last", "before")


class Unsupported(Exception):
    """The compiled path does not cover this query (or these argument values): the Python path answers."""


@dataclass(frozen=True)
class Binding:
    decision: Hashable
    params: list[Any]


@dataclass(frozen=True)
class ConnectionSite:
    """A connection's page window, plus arguments its rows' columns must equal (filters)."""

    field: GraphQLField
    node: FieldNode
    tag: str
    ordering: Ordering
    filters: tuple[str, ...]
    convert: dict[str, Callable[[Any], Any]]
    # False when no row of the page is selected: the page arguments are checked, no window is read.
    windowed: bool = True

    def bind(self, arguments: dict[str, Any], limits: Limits) -> Binding:
        for argument, value in arguments.items():
            if value is not None and argument not in PAGING and argument not in self.filters:
                raise Unsupported(argument)
        first, after, last, before = (arguments.get(argument) for argument in PAGING)
        page = window(limits, self.tag, self.ordering, first, after, last, before)
        given = tuple(arguments.get(argument) is not None for argument in self.filters)
        values = [
            self.convert.get(argument, _same)(arguments[argument])
            for argument, present in zip(self.filters, given, strict=True)
            if present
        ]
        cursor = [] if page.cursor is None else list(page.cursor)
        paging = [page.limit, *cursor] if self.windowed else []
        return Binding((page.backward, page.cursor is not None, given), [*paging, *values])


@dataclass(frozen=True)
class LookupSite:
    """A root field answering one row by whichever of its lookups the given arguments name."""

    field: GraphQLField
    node: FieldNode
    lookups: tuple[Lookup, ...]

    def bind(self, arguments: dict[str, Any], _limits: Limits) -> Binding:
        given = {argument for argument, value in arguments.items() if value is not None}
        for index, lookup in enumerate(self.lookups):
            if given == set(lookup.arguments):
                convert = lookup.convert or _same
                return Binding(index, [convert(arguments[argument]) for argument in lookup.arguments])
        raise Unsupported("no lookup for these arguments: the resolver says what is wrong")


def _same(value: Any) -> Any:
    return value


Site = ConnectionSite | LookupSite
