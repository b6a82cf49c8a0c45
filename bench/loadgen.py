"""A small closed-loop HTTP load generator: N concurrent clients, bounded by request count and time."""

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Result:
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0

    def row(self, label: str) -> str:
        return (
            f"| {label} | {self.concurrency} | {self.requests} | {self.throughput:.1f} | "
            f"{self.percentile(50):.1f} | {self.percentile(99):.1f} | {self.errors} |"
        )


HEADER = "| what | concurrency | requests | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|"


async def run(
    base_url: str,
    key: str,
    concurrency: int,
    body_for: Callable[[int], dict[str, Any]],
    max_requests: int,
    max_seconds: float,
    ok: Callable[[dict[str, Any]], bool] = lambda body: "errors" not in body,
) -> Result:
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.monotonic() + max_seconds
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal issued, errors
            while issued < max_requests and time.monotonic() < deadline:
                n = issued
                issued += 1
                started = time.perf_counter()
                response = await client.post("/graphql", json=body_for(n))
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200 or not ok(response.json()):
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return Result(concurrency, len(latencies), errors, seconds, latencies)


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0
