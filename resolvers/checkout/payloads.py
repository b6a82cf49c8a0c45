"""What every platform's payload reader gives back, and the small readers they share."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from resolvers.checkout.shape import Sale


class PayloadError(ValueError):
    """The body is not the platform's JSON: the message says what is missing or wrong, and where."""


@dataclass(frozen=True)
class ParsedEvent:
    dedup_key: str  # one per event: a repeat delivery carries the same key
    event_type: str
    sale: Sale | None  # None: an event type Rastro keeps but does not apply


def dig(payload: Any, *path: str) -> Any:
    """payload[path[0]][path[1]]..., or None where a level is missing or not an object."""
    for key in path:
        if not isinstance(payload, dict):
            return None
        payload = payload.get(key)
    return payload


def text(value: Any, limit: int = 255) -> str | None:
    """A string, number or boolean as text (trimmed, cut to `limit`); None for null and empty."""
    if value is None or isinstance(value, dict | list):
        return None
    result = str(value).strip()
    return result[:limit] or None


def required_text(payload: Any, *path: str) -> str:
    value = text(dig(payload, *path))
    if value is None:
        raise PayloadError(f"{'.'.join(path)} is missing")
    return value


def money(value: Any, where: str, scale: int = 0) -> Decimal | None:
    """A JSON number or numeric string as Decimal, divided by 10**scale (centavos: scale 2)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise PayloadError(f"{where} must be a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PayloadError(f"{where} must be a number") from None
    if not amount.is_finite():
        raise PayloadError(f"{where} must be a number")
    return amount.scaleb(-scale) if scale else amount


def epoch_ms(value: Any, where: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise PayloadError(f"{where} must be milliseconds since 1970")
    try:
        return dt.datetime.fromtimestamp(float(value) / 1000, dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise PayloadError(f"{where} must be milliseconds since 1970") from None
