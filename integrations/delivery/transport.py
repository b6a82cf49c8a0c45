"""One HTTP request to a platform: its answer, or what went wrong on the wire, and how long it took."""

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from integrations.delivery.backoff import parse_retry_after
from integrations.delivery.outcomes import Outcome, retry

MAX_LOGGED_TEXT = 2000


@dataclass(frozen=True)
class Request:
    url: str
    json: Any
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes | None = None  # sent instead of json when the body must be exactly these bytes


@dataclass(frozen=True)
class Reply:
    status: int | None  # None: no HTTP answer (see error)
    body: Any
    headers: Mapping[str, str]
    duration_ms: int
    error: str | None = None

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))

    def logged(self) -> dict[str, Any]:
        """The answer as platform_sync_log keeps it."""
        if self.status is None:
            return {"error": self.error}
        return self.body if isinstance(self.body, dict) else {"body": self.body}


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:MAX_LOGGED_TEXT]


async def post(client: httpx.AsyncClient, request: Request) -> Reply:
    started = time.perf_counter()

    def elapsed() -> int:
        return round((time.perf_counter() - started) * 1000)

    try:
        if request.content is not None:
            response = await client.post(request.url, content=request.content, headers=request.headers)
        else:
            response = await client.post(request.url, json=request.json, headers=request.headers)
    except (httpx.ConnectError, httpx.ConnectTimeout) as error:
        return Reply(None, None, {}, elapsed(), f"could not connect: {type(error).__name__}")
    except httpx.TimeoutException:
        # The request may have arrived: the re-send carries the same dedup id, so the platform dedupes it.
        return Reply(
            None, None, {}, elapsed(), "no answer before the timeout (ambiguous: re-sent with the same id)"
        )
    except httpx.TransportError as error:
        message = (
            f"connection lost before the answer: {type(error).__name__} (ambiguous: re-sent with the same id)"
        )
        return Reply(None, None, {}, elapsed(), message)
    return Reply(response.status_code, _body(response), response.headers, elapsed())


def transient(reply: Reply, message: str) -> Outcome | None:
    """What every platform retries: no answer, 408, 429 (honouring Retry-After) and 5xx."""
    if reply.status is None:
        return retry(reply.error or "no answer")
    if reply.status == 429:
        return retry(f"rate limited (429): {message}", reply.retry_after)
    if reply.status == 408 or reply.status >= 500:
        return retry(f"platform error {reply.status}: {message}", reply.retry_after)
    return None
