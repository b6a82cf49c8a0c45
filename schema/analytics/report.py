"""A report's answer: its rows, and how old the data behind them is."""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from sqlalchemy import Executable

from loaders.relation import ReportRead, reads
from resolvers.analytics.materialized import View, refreshed_at
from resolvers.analytics.period import Period
from resolvers.analytics.statement import ReportQuery, Statement, run, run_select
from resolvers.context import Info

T = TypeVar("T")


@strawberry.type(description="A report: its rows, the time zone of its days, and when its data was read.")
class Report(Generic[T]):
    rows: list[T] = strawberry.field(description="The report's rows, in its documented order.")
    data_as_of: dt.datetime = strawberry.field(
        description="When the data was read: now for live reports, the last `rastro refresh-analytics` "
        "for those served from a materialized view."
    )
    materialized: bool = strawberry.field(description="True when served from a materialized view.")
    time_zone: str = strawberry.field(description="The time zone of the report's days and months.")


def compiled(build: Callable[..., ReportQuery]) -> dict[str, object]:
    """Field metadata: the compiled read path answers the report from `build`'s statement, rows as JSON."""
    return reads(ReportRead(build))


async def answer(info: Info, report: ReportQuery) -> Report[Any]:
    if report.views is None:
        return await live_report(info, report.query, report.period)
    return await view_report(info, report.query, report.period, report.views, report.live)


async def rows_of(info: Info, query: tuple[str, Statement] | Executable) -> list[Any]:
    """The rows of a report's one statement (SQL text, or a SQLAlchemy statement)."""
    return list(await (run_select(info, query) if isinstance(query, Executable) else run(info, *query)))


async def live_report(info: Info, query: tuple[str, Statement] | Executable, period: Period) -> Report[Any]:
    """A report read from the tables now."""
    read_at = dt.datetime.now(dt.UTC)
    rows = await rows_of(info, query)
    return Report(rows=rows, data_as_of=read_at, materialized=False, time_zone=period.time_zone)


async def view_report(
    info: Info,
    query: tuple[str, Statement] | Executable,
    period: Period,
    views: Sequence[View],
    live: bool,
) -> Report[Any]:
    """A report whose statement reads `views` (each row carries their `refreshed_at`), or their tables."""
    read_at = dt.datetime.now(dt.UTC)
    rows = await rows_of(info, query)
    data_as_of, materialized = await data_age(info, rows, views, live, read_at)
    return Report(rows=rows, data_as_of=data_as_of, materialized=materialized, time_zone=period.time_zone)


async def data_age(
    info: Info, rows: Sequence[Any], views: Sequence[View], live: bool, read_at: dt.datetime
) -> tuple[dt.datetime, bool]:
    """When the views' data was refreshed and True, or `read_at` and False when the tables were read."""
    if rows:
        refreshed = rows[0].refreshed_at
    else:  # no row to carry the refresh instant: asked for apart
        age = await run(info, f"SELECT {refreshed_at(views, live)} AS refreshed_at", Statement())
        refreshed = age[0].refreshed_at
    return (read_at, False) if refreshed is None else (refreshed, True)


Live = Annotated[
    bool,
    strawberry.argument(
        description="Read the tables now instead of the materialized views (slower; dataAsOf is now)."
    ),
]
