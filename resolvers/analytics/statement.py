"""One report statement: SQL assembled from fixed fragments, every value bound; run on a read session."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Executable, Row, text

from resolvers.analytics.period import Period
from resolvers.context import Info

if TYPE_CHECKING:  # the views' module writes its SQL with this one
    from resolvers.analytics.materialized import View


@dataclass
class Statement:
    """Parameters collected while a report writes its SQL; `bind` returns the placeholder of a value."""

    params: dict[str, Any] = field(default_factory=dict)

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def equal(self, column: str, value: Any) -> list[str]:
        return [] if value is None else [f"{column} = {self.bind(value)}"]

    def local_midnight(self, day: dt.date, time_zone: str) -> str:
        """The instant a local day starts, computed by PostgreSQL as a literal date in that zone would be."""
        return (
            f"(CAST({self.bind(day)} AS date)::timestamp AT TIME ZONE CAST({self.bind(time_zone)} AS text))"
        )

    def since(self, column: str, period: Period) -> list[str]:
        """The instants of `column` from the period's first day on."""
        if period.start is None:
            return []
        return [f"{column} >= {self.local_midnight(period.start, period.time_zone)}"]

    def until(self, column: str, period: Period) -> list[str]:
        """The instants of `column` before the period's end."""
        if period.end is None:
            return []
        return [f"{column} < {self.local_midnight(period.end, period.time_zone)}"]

    def within(self, column: str, period: Period) -> list[str]:
        """The instants of `column` inside the period's local days."""
        return [*self.since(column, period), *self.until(column, period)]

    def seen_within(self, alias: str, period: Period, fact: str = "") -> list[str]:
        """A view row with one of its instants (`{fact}first_at`, `{fact}last_at`, `{fact}instants`) inside
        the period."""
        first, last, instants = (f"{alias}.{fact}{column}" for column in ("first_at", "last_at", "instants"))
        if period.start is None or period.end is None:
            return [f"{first} IS NOT NULL", *self.until(first, period), *self.since(last, period)]
        start = self.local_midnight(period.start, period.time_zone)
        end = self.local_midnight(period.end, period.time_zone)
        # Only a row whose instants surround the whole period needs its instants looked at one by one.
        return [
            f"{first} < {end}",
            f"{last} >= {start}",
            f"({first} >= {start} OR {last} < {end} OR EXISTS ("
            f"SELECT FROM unnest({instants}) i WHERE i >= {start} AND i < {end}))",
        ]

    def days_within(self, column: str, period: Period) -> list[str]:
        """Conditions on a date column (already local days)."""
        return [
            *([] if period.start is None else [f"{column} >= CAST({self.bind(period.start)} AS date)"]),
            *([] if period.end is None else [f"{column} < CAST({self.bind(period.end)} AS date)"]),
        ]

    def local(self, column: str, period: Period) -> str:
        """The local wall-clock time of an instant in the period's time zone."""
        return f"({column} AT TIME ZONE CAST({self.bind(period.time_zone)} AS text))"


@dataclass(frozen=True)
class ReportQuery:
    """What a report reads: its one statement (SQL text, or a SQLAlchemy statement) over its period.

    A report served from materialized views names them: each of its rows carries their `refreshed_at`.
    """

    query: tuple[str, Statement] | Executable
    period: Period
    views: "Sequence[View] | None" = None
    live: bool = False


def where(clauses: Sequence[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def conditions(clauses: Sequence[str]) -> str:
    return " AND ".join(clauses) if clauses else "TRUE"


async def run(info: Info, sql: str, statement: Statement) -> Sequence[Row[Any]]:
    async with info.context.reads() as session:
        return (await session.execute(text(sql), statement.params)).all()


async def run_select(info: Info, statement: Executable) -> Sequence[Row[Any]]:
    async with info.context.reads() as session:
        return (await session.execute(statement)).all()
