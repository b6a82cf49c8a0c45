"""Every request bounded in time: a deadline for the whole, an idle limit for the body, and no work for
clients that went away (their SQL is cancelled with them: asyncpg cancels a statement whose task is)."""

import asyncio
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.errors import MASKED_MESSAGE, Code
from server.http_body import send_error

log = logging.getLogger("rastro.deadlines")

# After cancelling a request, how long its cleanup (rollback, connection release) may take before we answer.
CLEANUP_SECONDS = 1.0


class BodyStalled(Exception):
    pass


class RequestDeadlines:
    def __init__(self, app: ASGIApp, seconds: float, body_idle_seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self.body_idle_seconds = body_idle_seconds
        self.lingering: set[asyncio.Task[None]] = set()  # cancelled requests still cleaning up

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_read = asyncio.Event()
        gone = asyncio.Event()
        started = completed = False

        async def receive_body() -> Message:
            if body_read.is_set():
                await gone.wait()  # the watcher owns the connection's messages once the body is in
                return {"type": "http.disconnect"}
            try:
                async with asyncio.timeout(self.body_idle_seconds):
                    message = await receive()
            except TimeoutError:
                raise BodyStalled from None
            if message["type"] == "http.disconnect":
                gone.set()
            if message["type"] == "http.disconnect" or not message.get("more_body", False):
                body_read.set()
            return message

        async def send_watched(message: Message) -> None:
            nonlocal started, completed
            started = started or message["type"] == "http.response.start"
            completed = message["type"] == "http.response.body" and not message.get("more_body", False)
            await send(message)

        async def watch_client() -> None:
            await body_read.wait()
            while not gone.is_set():
                if (await receive())["type"] == "http.disconnect":
                    gone.set()

        async def run() -> None:
            await self.app(scope, receive_body, send_watched)

        request = asyncio.create_task(run())
        watcher = asyncio.create_task(watch_client())
        try:
            await asyncio.wait({request, watcher}, timeout=self.seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watcher.cancel()
        if request.done():
            try:
                request.result()
            except asyncio.CancelledError:
                # Not by us: a resolver awaited a DataLoader future that a failed sibling's cancellation
                # took down. The cause was logged where it happened; the caller gets JSON, not plain text.
                log.error("request ended by a cancellation from within")
                if not started:
                    await send_error(send, 500, MASKED_MESSAGE, Code.INTERNAL_SERVER_ERROR)
            except BodyStalled:
                if not started:
                    message = f"The request body stalled: nothing arrived for {self.body_idle_seconds:g} s"
                    await send_error(send, 408, message, Code.BAD_REQUEST)
            return
        await self._cancel(request)
        if gone.is_set() and not completed:
            log.info("client went away: request cancelled, its SQL with it")
            return
        log.warning("request passed its deadline of %g s: cancelled", self.seconds)
        if not started:
            message = f"The request passed its deadline of {self.seconds:g} s and was stopped: ask for less"
            await send_error(send, 503, message, Code.TIMEOUT)

    async def _cancel(self, request: asyncio.Task[None]) -> None:
        request.cancel()
        done, _ = await asyncio.wait({request}, timeout=CLEANUP_SECONDS)
        if not done:
            self.lingering.add(request)
            request.add_done_callback(self.lingering.discard)
