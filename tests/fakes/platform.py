"""What every fake platform shares: scripted faults, a record of what arrived, and dedup by event id."""

import asyncio
import re
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http_server import Answer, Received

HEX64 = re.compile(r"[0-9a-f]{64}")
TOKEN = "test-token"


@dataclass(frozen=True)
class Fault:
    """What the next request gets instead of the platform's normal answer."""

    answer: Answer | None = None  # answered before processing: nothing was recorded
    after: Answer | None = None  # answered after processing (slow answer, reset): recorded, ambiguous


def ok() -> Fault:
    return Fault()


def refuse(status: int, body: Any, headers: dict[str, str] | None = None) -> Fault:
    return Fault(answer=Answer(status, body, headers or {}))


def slow(seconds: float) -> Fault:
    return Fault(after=Answer(delay=seconds))


def reset() -> Fault:
    return Fault(after=Answer(reset=True))


class Invalid(Exception):
    """The platform refuses the whole request: its own error answer."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(str(answer.body))
        self.answer = answer


@dataclass
class FakePlatform:
    """Subclasses validate and answer; this keeps the script and the record, thread-safely."""

    faults: deque[Fault] = field(default_factory=deque)
    requests: list[Received] = field(default_factory=list)
    received: Counter[str] = field(default_factory=Counter)  # event id -> times processed
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # every answer takes this long (a platform's latency)
    in_flight: int = 0  # requests received and not yet answered
    peak: int = 0  # most requests ever in flight at once

    def script(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def ids(self) -> Counter[str]:
        with self.lock:
            return Counter(self.received)

    def batches(self) -> list[Any]:
        with self.lock:
            return [r.json() for r in self.requests]

    async def __call__(self, request: Received) -> Answer:
        with self.lock:
            self.requests.append(request)
            fault = self.faults.popleft() if self.faults else Fault()
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return self._answer(request, fault)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _answer(self, request: Received, fault: Fault) -> Answer:
        if fault.answer is not None:
            return fault.answer
        try:
            answer, processed = self.process(request)
        except Invalid as invalid:
            return invalid.answer
        with self.lock:
            self.received.update(processed)
        if fault.after is not None:
            fault.after.status, fault.after.body = answer.status, answer.body
            return fault.after
        return answer

    def process(self, request: Received) -> tuple[Answer, list[str]]:
        """The platform's answer and the ids of the events it accepted."""
        raise NotImplementedError


def hashed(value: Any) -> bool:
    return isinstance(value, str) and bool(HEX64.fullmatch(value))


def age_days(unix_seconds: float) -> float:
    return (time.time() - unix_seconds) / 86400
