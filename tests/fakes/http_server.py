"""A small HTTP/1.1 server in a thread, whose handler may answer, stall or reset the connection.

Uvicorn cannot reset a connection on purpose, and a delivery test needs exactly that, so the fakes
speak HTTP over asyncio streams: enough for JSON POSTs with Content-Length, keep-alive included.
"""

import asyncio
import json
import socket
import struct
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Answer:
    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (past the client's timeout: an ambiguous failure)
    reset: bool = False  # close with RST instead of answering


Handler = Callable[[Received], Awaitable[Answer]]
REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 413: "Payload Too Large", 422: "Unprocessable Entity",
           429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}  # fmt: skip


async def _read(reader: asyncio.StreamReader) -> Received | None:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    path, _, query = target.partition("?")
    return Received(method, path, query, headers, body)


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _serve(handler: Handler, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                received = await _read(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            assert received is not None
            answer = await handler(received)
            if answer.delay:
                await asyncio.sleep(answer.delay)
            if answer.reset:
                _reset(writer)
                return
            payload = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
            head = [f"HTTP/1.1 {answer.status} {REASONS.get(answer.status, 'Status')}",
                    "Content-Type: application/json", f"Content-Length: {len(payload)}"]  # fmt: skip
            head += [f"{name}: {value}" for name, value in answer.headers.items()]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
            await writer.drain()
    except ConnectionError:
        return
    finally:
        if not writer.transport.is_closing():
            writer.close()


@dataclass
class RunningServer:
    url: str
    loop: asyncio.AbstractEventLoop


@contextmanager
def serve(handler: Handler) -> Iterator[RunningServer]:
    """Serve on a free loopback port until the block ends."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    async def start() -> None:
        server = await asyncio.start_server(lambda r, w: _serve(handler, r, w), "127.0.0.1", 0)
        holder["server"] = server
        holder["port"] = server.sockets[0].getsockname()[1]
        ready.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    ready.wait(10)
    try:
        yield RunningServer(f"http://127.0.0.1:{holder['port']}", loop)
    finally:

        async def stop() -> None:
            holder["server"].close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
