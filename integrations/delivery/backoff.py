"""When to try a row again: exponential backoff with full jitter, or what the platform asked for."""

import datetime as dt
import email.utils
import random

from integrations.delivery.config import DeliveryConfig


def retry_delay(config: DeliveryConfig, attempts: int, retry_after: float | None) -> float:
    """Seconds until the next attempt; a platform's Retry-After is a floor, jittered upward by up to 10%."""
    if retry_after is not None:
        return retry_after + random.uniform(0, retry_after * 0.1)
    ceiling = min(config.backoff_cap, config.backoff_base * 2 ** max(attempts - 1, 0))
    return random.uniform(0, ceiling)


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - (now or dt.datetime.now(dt.UTC))).total_seconds())
