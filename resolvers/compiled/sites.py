"""Where a compiled query takes request values: connections and lookups turn arguments into parameters.

Arguments decide the SQL's shape too (paging direction, a cursor or not, which filters): a site's `bind`
returns that decision with the parameters, and the SQL is written once per combination of decisions.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, GraphQLField
from sqlalchemy import ColumnElement

from loaders.keyset import Ordering, connection_tag
from loaders.relation import Lookup
from resolvers.analytics.materialized import refreshed_at
from resolvers.compiled.conditions import condition_sql, statement_sql
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
class ConnectionDecision:
    """What shapes a connection's SQL: paging direction, a cursor or not, which filters, order and where."""

    backward: bool
    cursor: bool
    given: tuple[bool, ...]
    ordering: Ordering
    # The filter's conditions over the placeholder row (resolvers/compiled/conditions.py) and their count.
    where: str | None = None
    where_params: int = 0


@dataclass(frozen=True)
class ConnectionSite:
    """A connection's page window, plus arguments its rows' columns must equal, a filter and an order."""

    field: GraphQLField
    node: FieldNode
    model: type[Any]
    ordering: Ordering
    filters: tuple[str, ...]
    convert: dict[str, Callable[[Any], Any]]
    # False when no row of the page is selected: the page arguments are checked, no window is read.
    windowed: bool = True
    # False when no row is read at all (only __typename): every argument is checked, none is sent.
    filtered: bool = True
    # `filter` and `orderBy` as the resolver takes them (Strawberry inputs) -> conditions, ordering.
    where: Callable[[Any], list[ColumnElement[bool]]] | None = None
    order: Callable[[Any], Ordering] | None = None
    inputs: Callable[[str, Any], Any] | None = None

    def default(self) -> ConnectionDecision:
        return ConnectionDecision(False, False, tuple(False for _ in self.filters), self.ordering)

    def bind(self, arguments: dict[str, Any], limits: Limits) -> Binding:
        shaping = {"filter": self.where, "orderBy": self.order}
        for argument, value in arguments.items():
            if value is None or argument in PAGING or argument in self.filters or shaping.get(argument):
                continue
            raise Unsupported(argument)
        ordering = self.ordering
        if self.order is not None and arguments.get("orderBy") is not None:
            ordering = self.order(self._input("orderBy", arguments))
        first, after, last, before = (arguments.get(argument) for argument in PAGING)
        tag = connection_tag(self.model, ordering)
        page = window(limits, tag, ordering, first, after, last, before)
        given = tuple(arguments.get(argument) is not None for argument in self.filters)
        values = [
            self.convert.get(argument, _same)(arguments[argument])
            for argument, present in zip(self.filters, given, strict=True)
            if present
        ]
        where: str | None = None
        where_values: list[Any] = []
        if self.where is not None and arguments.get("filter") is not None:
            clauses = self.where(self._input("filter", arguments))
            if clauses:
                where, where_values = condition_sql(self.model, clauses)
        if not self.filtered:
            # The statement reads no row, so it takes no parameter: one shape whatever the arguments.
            return Binding(self.default(), [])
        cursor = [] if page.cursor is None else list(page.cursor)
        paging = [page.limit, *cursor] if self.windowed else []
        decision = ConnectionDecision(
            page.backward, page.cursor is not None, given, ordering, where, len(where_values)
        )
        return Binding(decision, [*paging, *values, *where_values])

    def _input(self, argument: str, arguments: dict[str, Any]) -> Any:
        assert self.inputs is not None
        return self.inputs(argument, arguments[argument])


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


@dataclass(frozen=True)
class ReportDecision:
    """A report's statement with its parameters numbered from $1, and, for a report served from
    materialized views, the SQL of their refresh instant (None: read live, from the tables)."""

    sql: str
    params: int
    refreshed: str | None


@dataclass(frozen=True)
class ReportSite:
    """An analytics report: its arguments build its statement, as its resolver builds it."""

    field: GraphQLField
    node: FieldNode
    build: Callable[..., Any]
    # An argument's coerced value -> what the resolver receives; the argument's Python name.
    inputs: Callable[[str, Any], Any]
    names: dict[str, str]

    def bind(self, arguments: dict[str, Any], _limits: Limits) -> Binding:
        try:
            report = self.build(**{self.names[name]: self.inputs(name, v) for name, v in arguments.items()})
        except Exception as error:  # the resolver meets it too, and says what is wrong
            raise Unsupported("report arguments") from error
        sql, params = statement_sql(report.query)
        refreshed = None if report.views is None else refreshed_at(report.views, report.live)
        return Binding(ReportDecision(sql, len(params), refreshed), [*params, report.period.time_zone])


def _same(value: Any) -> Any:
    return value


Site = ConnectionSite | LookupSite | ReportSite
