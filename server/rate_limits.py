"""Per ingest key and per client IP request limits (the `limits` library, in this process's memory).

Each worker counts on its own: with N workers a client may reach N times the limit before a 429.
The asyncio storage expires counters in a task; the threaded one started a thread every 10 ms under load.
"""

import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import FixedWindowRateLimiter


class IngestRateLimits:
    def __init__(self, per_key: str, per_ip: str) -> None:
        self._limiter = FixedWindowRateLimiter(MemoryStorage())
        self._per_key = parse(per_key)
        self._per_ip = parse(per_ip)

    async def retry_after(self, key: str | None, client_ip: str | None) -> int | None:
        """Seconds to wait when this request is over a limit (it is then not counted), else None."""
        for limit, identity in ((self._per_ip, client_ip), (self._per_key, key)):
            if identity is None:
                continue
            if not await self._limiter.hit(limit, "ingest", identity):
                reset = (await self._limiter.get_window_stats(limit, "ingest", identity)).reset_time
                return max(1, math.ceil(reset - time.time()))
        return None
