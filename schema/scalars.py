"""Scalars whose input rules are Rastro's: a DateTime carries its offset and fits in UTC."""

import dataclasses
import datetime as dt
import decimal
import uuid

from graphql import GraphQLError
from strawberry.schema.types import base_scalars
from strawberry.types.scalar import ScalarDefinition

DATE_TIME_SPEC = "https://scalars.graphql.org/andimarek/date-time"


class InputValueError(GraphQLError):
    """A value of the right GraphQL type whose content is wrong: the caller's mistake, said in words.

    A GraphQLError, so graphql-core passes its message on as it is and it is never masked."""


def parse_date_time(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise InputValueError("is not a string: send an RFC 3339 date-time, e.g. 2025-03-01T14:30:00-03:00")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputValueError("is not an RFC 3339 date-time, e.g. 2025-03-01T14:30:00-03:00") from None
    if moment.utcoffset() is None:
        raise InputValueError("needs a UTC offset, e.g. 2025-03-01T14:30:00-03:00")
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:
        raise InputValueError("is out of range: in UTC it must fall in the years 0001 to 9999") from None
    return moment


def serialize_date_time(value: dt.datetime) -> str:
    return value.isoformat()


DATE_TIME = ScalarDefinition(
    name="DateTime",
    description=(
        "A moment as an RFC 3339 date-time with its UTC offset, e.g. 2025-03-01T14:30:00-03:00 or"
        " 2025-03-01T17:30:00Z. Inputs without an offset are refused; outputs are in UTC."
    ),
    specified_by_url=DATE_TIME_SPEC,
    serialize=serialize_date_time,
    parse_value=parse_date_time,
    parse_literal=None,
    origin=dt.datetime,
)

# Strawberry's parsing kept; described, and pointing at the specification each one follows.
DATE = dataclasses.replace(
    base_scalars.DateDefinition,
    description="A calendar day as an RFC 3339 full-date, e.g. 2025-03-01 (no time, no offset).",
    specified_by_url="https://scalars.graphql.org/andimarek/local-date",
)
DECIMAL = dataclasses.replace(
    base_scalars.DecimalDefinition,
    description=(
        'An exact decimal number as a string, e.g. "1500.00" (money: at most 13 digits before the point'
        " and 2 after); a JSON number is taken on input. Kept as PostgreSQL numeric, never as a float."
    ),
    specified_by_url="https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-NUMERIC-DECIMAL",
)
UUID = dataclasses.replace(
    base_scalars.UUIDDefinition,
    description="A UUID in its canonical text form, e.g. 0b2f8a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b.",
    specified_by_url="https://www.rfc-editor.org/rfc/rfc9562",
)

SCALARS: dict[object, ScalarDefinition] = {
    dt.datetime: DATE_TIME,
    dt.date: DATE,
    decimal.Decimal: DECIMAL,
    uuid.UUID: UUID,
}
