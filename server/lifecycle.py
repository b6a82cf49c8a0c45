"""Stopping well: SIGTERM drains (readiness fails while requests are still served) before uvicorn stops.

Kubernetes, Docker and systemd send SIGTERM. For RASTRO_DRAIN_SECONDS /readyz answers 503 so load
balancers stop sending new requests, while the server still answers them; then uvicorn stops accepting
connections and lets in-flight requests finish within RASTRO_SHUTDOWN_TIMEOUT seconds.
"""

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import NoReturn

log = logging.getLogger("rastro.lifecycle")

# The conventional exit status of a process ended by SIGTERM (128 + 15).
TERMINATED = 143


class Drain:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.draining = False

    def install(self) -> None:
        """Put the drain in front of uvicorn's SIGTERM handler (a served process's main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            return
        stop = signal.getsignal(signal.SIGTERM)
        if not callable(stop):
            return
        loop = asyncio.get_running_loop()

        def on_sigterm(sig: int, frame: FrameType | None) -> None:
            if self.draining or self.seconds <= 0:
                stop(sig, frame)  # a second SIGTERM stops at once
                return
            self.draining = True
            log.info("draining", extra={"seconds": self.seconds})
            loop.call_soon_threadsafe(loop.call_later, self.seconds, stop, sig, None)

        signal.signal(signal.SIGTERM, on_sigterm)


def _terminated(_sig: int, _frame: FrameType | None) -> NoReturn:
    raise SystemExit(TERMINATED)


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """SIGTERM ends the command by an exception, so `finally` blocks run (the embedded PostgreSQL stops).

    uvicorn re-raises the SIGTERM it handled once its server has stopped; it lands here.
    """
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
