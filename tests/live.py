"""The real ASGI app served by uvicorn on a loopback port, in a thread, for real HTTP in tests."""

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from sqlalchemy import event
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings


@dataclass
class StatementCounter:
    """Counts SQL statements the app sends (SQLAlchemy before_cursor_execute)."""

    statements: list[str] = field(default_factory=list)

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    def seen(self, statement: str) -> None:
        self.statements.append(statement)

    def reset(self) -> None:
        self.statements.clear()

    @property
    def count(self) -> int:
        return len(self.statements)


@dataclass
class LiveServer:
    base_url: str
    app: Starlette
    counter: StatementCounter

    def client(self, key: str | None = None, timeout: float = 30.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def async_client(self, key: str | None = None, timeout: float = 60.0) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        # Idle connections are dropped before uvicorn's 5 s keep-alive closes them (a starved client reusing
        # one as the server closed it got a ReadError for a request that never reached the app).
        limits = httpx.Limits(max_connections=100, keepalive_expiry=1.0)
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=timeout, limits=limits)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(database_url: str, **overrides: Any) -> Iterator[LiveServer]:
    settings = Settings(database_url=database_url, **overrides)
    counter = StatementCounter()
    # The compiled path's statements go through asyncpg directly; the rest through SQLAlchemy.
    app = create_app(settings, database_url, [counter.seen])
    port = free_port()
    server = uvicorn.Server(
        # No logging config of uvicorn's own: uvicorn.error and uvicorn.access propagate to the root logger,
        # where the server output's test reads them (tests/server_output.py).
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", log_config=None, lifespan="on")
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    for engine in (app.state.engine, app.state.write_engine):
        event.listen(engine.sync_engine, "before_cursor_execute", counter)
    try:
        yield LiveServer(base_url=f"http://127.0.0.1:{port}", app=app, counter=counter)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
