"""A report's answer: its rows, and how old the data behind them is."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Executable

from resolvers.analytics.period import Period
from resolvers.analytics.statement import Statement, run, run_select
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


async def live_report(info: Info, query: tuple[str, Statement] | Executable, period: Period) -> Report[Any]:
    """A report read from the tables now, by its one statement (SQL text, or a SQLAlchemy statement)."""
    read_at = dt.datetime.now(dt.UTC)
    rows: Sequence[Any] = await (
        run_select(info, query) if isinstance(query, Executable) else run(info, *query)
    )
    return Report(rows=list(rows), data_as_of=read_at, materialized=False, time_zone=period.time_zone)
