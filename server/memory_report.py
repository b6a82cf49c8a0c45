"""Opt-in memory report (RASTRO_MEMORY_REPORT_PATH): what grows in a worker, written as JSON lines.

Every RASTRO_MEMORY_REPORT_SECONDS each worker appends one line: its RSS, the C allocator's heap (in use
and free), Python's allocated blocks, objects per GC generation and what the collector freed, object
counts by type that grew, and the size of each cache the server keeps. With RASTRO_MEMORY_REPORT_FRAMES
above 0, tracemalloc's growth since start and since the last line too, grouped by traceback (it slows
requests). For soaks and leak hunts; off in production.
"""

import asyncio
import collections
import contextlib
import ctypes
import ctypes.util
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import orjson
from prometheus_client import REGISTRY
from starlette.applications import Starlette
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from resolvers.ingest import statements
from schema.schema import DOCUMENT_CACHE_SIZE
from telemetry import metrics

TOP = 15
MALLINFO2 = (
    "arena",
    "ordblks",
    "smblks",
    "hblks",
    "hblkhd",
    "usmblks",
    "fsmblks",
    "uordblks",
    "fordblks",
    "keepcost",
)


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in MALLINFO2]


def malloc_mib() -> dict[str, float]:
    """glibc's heap: obtained from the system, in use, free inside it (fragmentation), mmapped blocks."""
    name = ctypes.util.find_library("c")
    mallinfo2 = getattr(ctypes.CDLL(name), "mallinfo2", None) if name else None
    if mallinfo2 is None:
        return {}
    mallinfo2.restype = _Mallinfo2
    info = mallinfo2()
    mib = {"heap": info.arena, "in_use": info.uordblks, "free": info.fordblks, "mmapped": info.hblkhd}
    return {key: round(value / 2**20, 1) for key, value in mib.items()}


class Collections:
    """What the cyclic garbage collector did, per generation: runs, objects it freed, its longest pause."""

    def __init__(self) -> None:
        self.runs, self.freed, self.longest_ms = [0, 0, 0], [0, 0, 0], [0.0, 0.0, 0.0]
        self.began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.began = time.perf_counter()
            return
        generation = info["generation"]
        self.runs[generation] += 1
        self.freed[generation] += info["collected"]
        pause = (time.perf_counter() - self.began) * 1000
        self.longest_ms[generation] = round(max(self.longest_ms[generation], pause), 1)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _middleware(app: Starlette, kind: type) -> Any:
    """The instance of a middleware class in the app's built stack, if any."""
    layer: Any = app.middleware_stack
    while layer is not None and not isinstance(layer, kind):
        layer = getattr(layer, "app", None)
    return layer


def _asyncpg_statements(pool: Any) -> int:
    """Prepared statements cached on the pool's open connections."""
    holders = getattr(pool, "_holders", ())
    connections = (holder._con for holder in holders if holder._con is not None)
    return sum(len(connection._stmt_cache) for connection in connections)


def cache_sizes(app: Starlette) -> dict[str, int]:
    """Entries in every cache a worker keeps, by name."""
    from server.persisted_queries import PersistedQueries

    state = app.state
    sizes: dict[str, int] = {}
    compiled = state.compiled
    if compiled is not None:
        plans = compiled._plans
        sizes["compiled plans"] = len(plans)
        sizes["compiled statements"] = sum(len(plan.statements) for plan in plans.values() if plan)
    for name, lru in (("parsed", _get_parse_cache), ("validated", _get_validate_cache)):
        cached: Any = lru(DOCUMENT_CACHE_SIZE)  # functools.lru_cache
        sizes[f"{name} documents"] = cached.cache_info().currsize
    persisted = _middleware(app, PersistedQueries)
    if persisted is not None:
        sizes["persisted queries"] = len(persisted.documents)
        sizes["persisted query bytes"] = int(persisted.documents.currsize)
    sizes["api keys"] = len(state.principal_cache._entries)
    sizes["trusted document lists"] = len(state.trusted_documents._lists)
    places = state.ingestion.places
    sizes["ingest domains"], sizes["ingest pages"] = len(places._domains), len(places._pages)
    limits = state.ingest_rate_limits
    sizes["rate-limit counters"] = len(limits._per_key.counts) + len(limits._per_ip.counts)
    sizes["tracking statements"] = statements.compiled_count()
    sizes["operation labels"] = len(metrics.operation_names())
    sizes["metric label sets"] = sum(
        len(getattr(collector, "_metrics", ())) for collector in REGISTRY._collector_to_names
    )
    for name in ("engine", "write_engine"):
        cache = getattr(state, name).sync_engine._compiled_cache
        sizes[f"sqlalchemy compiled ({name})"] = 0 if cache is None else len(cache)
    sizes["asyncpg statements (tracking pool)"] = _asyncpg_statements(state.ingestion.pool)
    sizes["asyncpg statements (compiled pool)"] = (
        0 if compiled is None else _asyncpg_statements(compiled.pool)
    )
    return sizes


def _snapshot() -> tracemalloc.Snapshot:
    """Allocations now, less the snapshots' own (kept between lines)."""
    return tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])


def _where(frame: tracemalloc.Frame) -> str:
    return f"{frame.filename.rsplit('site-packages/', 1)[-1]}:{frame.lineno}"


def _grown(now: tracemalloc.Snapshot, before: tracemalloc.Snapshot) -> list[dict[str, Any]]:
    """The tracebacks whose allocations grew most between the two snapshots, newest frame first."""
    stats = now.compare_to(before, "traceback")
    return [
        {
            "kib": round(stat.size_diff / 1024, 1),
            "blocks": stat.count_diff,
            "where": [_where(frame) for frame in reversed(stat.traceback)],
        }
        for stat in stats[:TOP]
        if stat.size_diff > 0
    ]


def _object_counts() -> collections.Counter[str]:
    return collections.Counter(type(thing).__qualname__ for thing in gc.get_objects())


class MemoryReport:
    def __init__(self, app: Starlette, path: Path, seconds: float) -> None:
        self.app, self.path, self.seconds = app, path, seconds
        self.started = time.monotonic()
        self.collections = Collections()
        gc.callbacks.append(self.collections)
        self.first_objects = _object_counts()
        self.first = self.last = _snapshot() if tracemalloc.is_tracing() else None

    def line(self) -> dict[str, Any]:
        objects = _object_counts()
        grown = {name: count - self.first_objects[name] for name, count in objects.items()}
        report = {
            "pid": os.getpid(),
            "seconds": round(time.monotonic() - self.started, 1),
            "rss_mib": round(rss_mib(), 1),
            "malloc_mib": malloc_mib(),
            "python_blocks": sys.getallocatedblocks(),
            "objects": [len(gc.get_objects(generation)) for generation in range(3)],
            "gc_runs": list(self.collections.runs),
            "gc_freed": list(self.collections.freed),
            "gc_longest_ms": list(self.collections.longest_ms),
            "caches": cache_sizes(self.app),
            "objects_grown": dict(sorted(grown.items(), key=lambda item: -item[1])[:TOP]),
        }
        if self.first is not None and self.last is not None:
            snapshot = _snapshot()
            report["traced_mib"] = round(
                sum(stat.size for stat in snapshot.statistics("filename")) / 2**20, 1
            )
            report["tracemalloc_mib"] = round(tracemalloc.get_tracemalloc_memory() / 2**20, 1)
            report["grown_since_start"] = _grown(snapshot, self.first)
            report["grown_since_last"] = _grown(snapshot, self.last)
            self.last = snapshot
        return report

    def stop(self) -> None:
        gc.callbacks.remove(self.collections)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.seconds)
            with self.path.open("ab") as out:
                out.write(orjson.dumps(self.line()) + b"\n")


@contextlib.asynccontextmanager
async def memory_report(
    app: Starlette, path: Path | None, seconds: float, frames: int = 0
) -> AsyncIterator[None]:
    """Reports while the app serves, when a path is set; traces allocations `frames` deep when above 0."""
    if path is None:
        yield
        return
    if frames:
        tracemalloc.start(frames)
    report = MemoryReport(app, path, seconds)
    task = asyncio.create_task(report.run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        report.stop()
        tracemalloc.stop()


def reports(path: Path) -> Iterator[dict[str, Any]]:
    for line in path.read_text().splitlines():
        yield orjson.loads(line)
