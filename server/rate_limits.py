"""Per ingest key and per client IP request limits (the `limits` library, in this process's memory).

Each worker counts on its own: with N workers a client may reach N times the limit before a 429.
"""

import math
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter


class IngestRateLimits:
    def __init__(self, per_key: str, per_ip: str) -> None:
        self._limiter = FixedWindowRateLimiter(MemoryStorage())
        self._per_key = parse(per_key)
        self._per_ip = parse(per_ip)

    def retry_after(self, key: str | None, client_ip: str | None) -> int | None:
        """Seconds to wait when this request is over a limit (it is then not counted), else None."""
        for limit, identity in ((self._per_ip, client_ip), (self._per_key, key)):
            if identity is None:
                continue
            if not self._limiter.hit(limit, "ingest", identity):
                reset = self._limiter.get_window_stats(limit, "ingest", identity).reset_time
                return max(1, math.ceil(reset - time.time()))
        return None
