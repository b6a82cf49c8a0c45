"""Pure-ASGI request body handling: bounded read, replay, and JSON error replies."""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.errors import Code


class BodyTooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int | None = None) -> bytes:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that yields the already-read body once, then defers to the real one (disconnects)."""
    sent = False

    async def wrapped() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return wrapped


def error_body(message: str, code: Code) -> bytes:
    """The one shape of an error answered before GraphQL runs: like a GraphQL error, with its code."""
    return json.dumps({"errors": [{"message": message, "extensions": {"code": code.value}}]}).encode()


async def send_error(
    send: Send, status: int, message: str, code: Code, extra_headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = error_body(message, code)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra_headers or [])})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Rejects request bodies over `limit` bytes with 413 before anything parses them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        message = f"Request body too large: the limit is {self.limit} bytes"
        for name, value in scope["headers"]:
            if name.lower() == b"content-length" and value.isdigit() and int(value) > self.limit:
                await send_error(send, 413, message, Code.PAYLOAD_TOO_LARGE)
                return
        try:
            body = await read_body(receive, self.limit)
        except BodyTooLarge:
            await send_error(send, 413, message, Code.PAYLOAD_TOO_LARGE)
            return
        await self.app(scope, replay(body, receive), send)
