"""A report's date range: local days in an explicit time zone, turned into bounds PostgreSQL computes."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from resolvers.errors import ArgumentError

DEFAULT_TIME_ZONE = "America/Sao_Paulo"


@dataclass(frozen=True)
class Period:
    """From `start` (a local day, included) to `end` (a local day, excluded) in `time_zone`; None: open."""

    start: dt.date | None = None
    end: dt.date | None = None
    time_zone: str = DEFAULT_TIME_ZONE


def checked_period(
    start: dt.date | None, end: dt.date | None, time_zone: str, argument: str = "period"
) -> Period:
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):  # OSError: a name no file system takes
        raise ArgumentError(
            f"{argument}.timeZone", f"is not an IANA time zone (e.g. {DEFAULT_TIME_ZONE}, UTC): {time_zone!r}"
        ) from None
    if start is not None and end is not None and start >= end:
        raise ArgumentError(f"{argument}.to", f"must be after 'from' ({start.isoformat()}): to is excluded")
    return Period(start, end, time_zone)
