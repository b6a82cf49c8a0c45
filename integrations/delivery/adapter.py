"""What every platform adapter provides, and the conversions between Rastro's payload and platform units."""

import abc
import datetime as dt
from typing import Any

from integrations.delivery.outcomes import Outcome, expired
from integrations.delivery.rows import OutboxRow
from integrations.delivery.transport import Reply, Request

# An event this close to the end of its window could age past it in flight: treated as expired.
WINDOW_MARGIN = dt.timedelta(hours=1)


class Adapter(abc.ABC):
    """Builds one platform's request for a batch of rows, and reads its answer back row by row."""

    batch_limit: int
    # The platform rejects the whole request for one bad event: a refused batch is split to find it.
    all_or_nothing: bool = False

    def check(self, row: OutboxRow, now: dt.datetime) -> Outcome | None:
        """Why the row must not be sent now (expired, too recent, not configured); None to send."""
        return None

    @abc.abstractmethod
    def event(self, row: OutboxRow) -> dict[str, Any]:
        """The row as the platform receives it: hashed identifiers only, so it can be logged as sent."""

    @abc.abstractmethod
    async def request(self, events: list[dict[str, Any]]) -> Request: ...

    @abc.abstractmethod
    def interpret(self, reply: Reply, events: list[dict[str, Any]]) -> list[Outcome]:
        """One outcome per event of the request, in order."""

    async def renew_credentials(self) -> bool:
        """Mint a fresh access token after a 401; False when the account has no way to."""
        return False


def outside_window(
    moment: dt.datetime, now: dt.datetime, window: dt.timedelta, what: str, platform: str
) -> Outcome | None:
    age = now - moment
    if age <= window - WINDOW_MARGIN:
        return None
    days = age.total_seconds() / 86400
    return expired(f"{what} is {days:.1f} days old; {platform} accepts up to {window.days} days")


def unix_seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def unix_millis(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ").replace(".000000Z", "Z")


def google_datetime(moment: dt.datetime) -> str:
    """'yyyy-mm-dd hh:mm:ss+00:00', the Google Ads API's date-time (the offset is mandatory)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S+00:00")


def all_rows(outcome: Outcome, count: int) -> list[Outcome]:
    return [outcome] * count
