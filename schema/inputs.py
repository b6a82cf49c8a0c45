"""Inputs shared by list filters: ranges and sort direction."""

import datetime as dt
import enum

import strawberry
from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

import models


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(description="A time range: from (inclusive) and to (exclusive); either may be omitted.")
class DateTimeRange:
    from_: dt.datetime | None = strawberry.field(default=None, name="from")
    to: dt.datetime | None = None


def utm_matches(source: str | None, medium: str | None, campaign: str | None) -> list[ColumnElement[bool]]:
    """Conditions on a utm_tracking row for the UTM values a filter gives."""
    u = models.UtmTracking
    given = ((u.utm_source, source), (u.utm_medium, medium), (u.utm_campaign, campaign))
    return [column == wanted for column, wanted in given if wanted is not None]


def in_range(
    column: InstrumentedAttribute[dt.datetime], value: DateTimeRange | None
) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    clauses: list[ColumnElement[bool]] = []
    if value.from_ is not None:
        clauses.append(column >= value.from_)
    if value.to is not None:
        clauses.append(column < value.to)
    return clauses
