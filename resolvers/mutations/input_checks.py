"""Checks of single input values; each returns the failures it finds (none when the value is fine)."""

import datetime as dt
from decimal import Decimal

from resolvers.mutations.outcome import Failure, FieldPath, invalid

# numeric(15, 2): 13 digits before the point, 2 after.
MONEY_LIMIT = Decimal(10) ** 13
MONEY_EXPONENT = -2
# How far ahead of our clock a connector's clock may run.
CLOCK_SKEW = dt.timedelta(minutes=5)


def money_failures(
    value: Decimal | None, field: FieldPath, limit: Decimal = MONEY_LIMIT, places: int = -MONEY_EXPONENT
) -> list[Failure]:
    """`limit` and `places` follow the column: numeric(15, 2) by default, numeric(15, 4) in checkout."""
    if value is None:
        return []
    if not value.is_finite() or value < 0:
        return [invalid(field, "must be a number >= 0")]
    if value >= limit:
        return [invalid(field, f"must be below {limit:,}")]
    if int(value.as_tuple().exponent) < -places and value != value.quantize(Decimal(1).scaleb(-places)):
        return [invalid(field, f"may have at most {places} decimal places")]
    return []


def moment_failures(value: dt.datetime | None, field: FieldPath, now: dt.datetime) -> list[Failure]:
    if value is None:
        return []
    if value > now + CLOCK_SKEW:
        return [invalid(field, "is in the future")]
    return []


def text_failures(value: str | None, field: FieldPath, max_length: int) -> list[Failure]:
    if value is None:
        return []
    if not value.strip():
        return [invalid(field, "is blank")]
    if len(value) > max_length:
        return [invalid(field, f"may have at most {max_length} characters")]
    return []


def percent_failures(value: int | None, field: FieldPath) -> list[Failure]:
    if value is None or 0 <= value <= 100:
        return []
    return [invalid(field, "must be between 0 and 100")]
