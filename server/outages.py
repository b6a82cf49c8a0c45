"""Database failures that escape a handler answered as what they are: 503 (retry later), CONFLICT, TIMEOUT."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.database_errors import MESSAGES, failure_code, noted
from resolvers.errors import Code
from server.http_body import send_error

STATUS = {Code.SERVICE_UNAVAILABLE: 503, Code.TIMEOUT: 503, Code.CONFLICT: 409}


def retry_after(scope: Scope) -> list[tuple[bytes, bytes]]:
    return [(b"retry-after", str(scope["app"].state.settings.retry_after_seconds).encode())]


async def send_failure(scope: Scope, send: Send, code: Code) -> None:
    headers = retry_after(scope) if code is Code.SERVICE_UNAVAILABLE else []
    await send_error(send, STATUS[code], MESSAGES[code], code, headers)


class DatabaseFailures:
    """A key lookup, a compiled read or a probe that met a database failure: one log line, a JSON answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            code = failure_code(error)
            if code is None or started:
                raise
            noted(code, error, scope["path"])
            await send_failure(scope, send, code)
