"""A bounded mixed load for minutes: tracking, reads and mutations at fixed rates, side by side, through
`rastro serve`; reports throughput and p99 per kind, the server's RSS over time and PostgreSQL connections.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/soak.py [--minutes 10]

Seeds a scratch database (scale 1 by default) on that server, dropped after. Each kind is paced (open loop:
a request every 1/rate seconds, at most 16 in flight per kind; a request not sent because 16 were still in
flight counts as shed), so a slow kind shows as latency and shedding, not as a slower load for the others.
`--memory-report SECONDS` has the server trace its allocations (server/memory_report.py; slower) and prints
what grew and the size of each of its caches over the run.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.analytics import bodies as report_bodies
from bench.ingest import ORIGIN, UTMS, arrange
from bench.mutations import lead_ids, lead_updates, stage_changes
from bench.served import memory_mib, scratch_database, served
from schema.graphiql import JOURNEY_QUERY
from server.memory_report import reports
from tests.conftest import key_maker
from tests.ingest.tracking import BROWSER
from tests.mutations.graphql import CHANGE_LEAD_STAGE, UPDATE_LEAD

IN_FLIGHT = 16
VISITORS_WITH_EVENTS = 200
SAMPLE_SECONDS = 5.0
LEAD = "query L($id: UUID!) { lead(leadId: $id) { leadId email leadScore stages { nodes { stageName } } } }"
CONNECTIONS = """
    SELECT count(*) AS total, count(*) FILTER (WHERE state = 'active') AS active,
           count(*) FILTER (WHERE state = 'idle') AS idle
    FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


@dataclass
class Kind:
    """One kind of request: its rate per second and how to send the n-th one."""

    name: str
    rate: float
    send: Callable[[httpx.AsyncClient, int], Any]
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    shed: int = 0

    def row(self, seconds: float) -> str:
        ordered = sorted(self.latencies_ms) or [0.0]
        p50, p99 = (ordered[min(len(ordered) - 1, int(p * len(ordered)))] for p in (0.5, 0.99))
        done = len(self.latencies_ms)
        return (f"| {self.name} | {self.rate:g} | {done:,} | {done / seconds:.1f} | {p50:.1f} | {p99:.1f} | "
                f"{self.errors} | {self.shed} |")  # fmt: skip


@dataclass
class Sample:
    at: float
    rss_mib: float
    connections: dict[str, int]


def graphql(document: str, key: str, variables: Callable[[int], dict[str, Any]], mutation: str = "") -> Any:
    """Sends the document; a success is 200 without errors (and, for a mutation, no payload errors)."""
    headers = {"Authorization": f"Bearer {key}"}

    async def send(client: httpx.AsyncClient, n: int) -> bool:
        json_body = {"query": document, "variables": variables(n)}
        answer = await client.post("/graphql", json=json_body, headers=headers)
        data = answer.json() if answer.status_code == 200 else {"errors": answer.status_code}
        return "errors" not in data and (not mutation or data["data"][mutation]["errors"] == [])

    return send


def beacon(key: str, make: Callable[[int], dict[str, Any]]) -> Any:
    """Posts a tracking beacon as the script does; a success is a 2xx answer."""
    headers = {"Origin": ORIGIN, "User-Agent": BROWSER, "Content-Type": "text/plain"}

    async def send(client: httpx.AsyncClient, n: int) -> bool:
        content = json.dumps(make(n))
        answer = await client.post("/collect", params={"key": key}, content=content, headers=headers)
        return answer.status_code < 300

    return send


def kinds(keys: dict[str, str], leads: list[str], times: float) -> list[Kind]:
    """The mix, per second at --rate 1: 10 visits, 2 event calls, 10 lead reads, 0.5 journey, 0.2 report,
    4 mutations (a campaign day on one small machine, sustainable beside other work)."""
    events = [{"type": "click", "label": f"cta-{i}"} for i in range(10)]
    report = next(b for name, b in report_bodies(None) if name == "campaignPerformance")
    run = f"{time.time():.0f}"
    analyst, connector = keys["analyst"], keys["connector"]

    def visit(n: int) -> dict[str, Any]:
        # Negative n: the visitors events go to, sent before the run starts.
        visitor = f"soak-{run}-{n}" if n >= 0 else f"soak-{run}-e{-1 - n}"
        return {"type": "visit", "url": f"{ORIGIN}/oferta?{UTMS}", "visitorId": visitor}

    def clicks(n: int) -> dict[str, Any]:
        visitor = f"soak-{run}-e{n % VISITORS_WITH_EVENTS}"
        return {"type": "events", "url": f"{ORIGIN}/oferta", "visitorId": visitor, "events": events}

    stages, updates = stage_changes(leads), lead_updates(leads)
    lead, reported = (lambda n: {"id": leads[n % len(leads)]}), (lambda n: report["variables"])
    return [
        Kind("visit /collect", 10 * times, beacon(keys["ingest"], visit)),
        Kind("events /collect (10 per call)", 2 * times, beacon(keys["ingest"], clicks)),
        Kind("lead read (compiled)", 10 * times, graphql(LEAD, analyst, lead)),
        Kind("journey read (Python path)", 0.5 * times, graphql(JOURNEY_QUERY, analyst, lambda n: {})),
        Kind("report campaignPerformance", 0.2 * times, graphql(report["query"], analyst, reported)),
        Kind("changeLeadStage", 2 * times, graphql(CHANGE_LEAD_STAGE.document, connector,
                                                   lambda n: {"input": stages(n)}, "changeLeadStage")),
        Kind("updateLead", 2 * times, graphql(UPDATE_LEAD.document, connector,
                                              lambda n: {"input": updates(n)}, "updateLead")),
    ]  # fmt: skip


async def paced(kind: Kind, client: httpx.AsyncClient, until: float) -> None:
    """A request every 1/rate seconds until `until`; never more than IN_FLIGHT of this kind at once."""
    in_flight: set[asyncio.Task[None]] = set()
    interval, n = 1 / kind.rate, 0

    async def one(n: int) -> None:
        started = time.perf_counter()
        try:
            ok = await kind.send(client, n)
        except httpx.HTTPError:
            ok = False
        kind.latencies_ms.append((time.perf_counter() - started) * 1000)
        kind.errors += not ok

    start = time.monotonic()
    while (now := time.monotonic()) < until:
        if len(in_flight) < IN_FLIGHT:
            task = asyncio.create_task(one(n))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        else:
            kind.shed += 1
        n += 1
        await asyncio.sleep(max(0.0, start + n * interval - now))
    await asyncio.gather(*in_flight)


async def sampled(pid: int, url: str, until: float, samples: list[Sample]) -> None:
    connection = await asyncpg.connect(url)
    try:
        started = time.monotonic()
        while (now := time.monotonic()) < until:
            counts = dict(await connection.fetchrow(CONNECTIONS))
            samples.append(Sample(now - started, memory_mib(pid, "VmRSS"), counts))
            await asyncio.sleep(SAMPLE_SECONDS)
    finally:
        await connection.close()


async def soak(base: str, pid: int, url: str, mix: list[Kind], seconds: float) -> list[Sample]:
    samples: list[Sample] = []
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=IN_FLIGHT * len(mix))
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        for n in range(VISITORS_WITH_EVENTS):  # the visitors the events go to
            await mix[0].send(client, -1 - n)
        await asyncio.gather(sampled(pid, url, until, samples), *(paced(kind, client, until) for kind in mix))
    return samples


def report(mix: list[Kind], samples: list[Sample], seconds: float, rows: dict[str, int]) -> None:
    print(f"\n{seconds / 60:g} minutes; load average at the end {os.getloadavg()[0]:.1f}")
    print("| kind | rate/s asked | requests | done/s | p50 ms | p99 ms | errors | shed |")
    print("|---|---|---|---|---|---|---|---|")
    for kind in mix:
        print(kind.row(seconds))
    print("\n| minute | server RSS MiB (mean of samples) | PostgreSQL connections max (active max) |")
    print("|---|---|---|")
    for minute in range(int(seconds // 60) + 1):
        these = [s for s in samples if minute * 60 <= s.at < (minute + 1) * 60]
        if these:
            rss = statistics.fmean(s.rss_mib for s in these)
            total = max(s.connections["total"] for s in these)
            active = max(s.connections["active"] for s in these)
            print(f"| {minute + 1} | {rss:.1f} | {total} ({active}) |")
    first, last = samples[0].rss_mib, samples[-1].rss_mib
    peak = max(s.rss_mib for s in samples)
    print(f"RSS first sample {first:.1f} MiB, last {last:.1f} MiB, peak {peak:.1f} MiB")
    print("rows written: " + ", ".join(f"{table} +{count:,}" for table, count in rows.items()))


def memory_summary(path: Path) -> None:
    """Per worker and report: RSS, the C heap, Python's blocks and objects, the collector, every cache."""
    lines = list(reports(path))
    for pid in sorted({line["pid"] for line in lines}):
        mine = [line for line in lines if line["pid"] == pid]
        caches = list(mine[0]["caches"])
        print(f"\nworker {pid}, every {mine[0]['seconds']:g} s:")
        print("| minute | RSS MiB | malloc heap / in use / free MiB | Python blocks | objects gen 0/1/2 "
              "| GC runs 0/1/2 | freed 0/1/2 | longest pause ms 0/1/2 |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|")
        for line in mine:
            heap = " / ".join(str(line["malloc_mib"].get(k)) for k in ("heap", "in_use", "free"))
            objects, runs, freed, pauses = (
                "/".join(f"{n:,}" for n in line[k])
                for k in ("objects", "gc_runs", "gc_freed", "gc_longest_ms")
            )
            print(f"| {line['seconds'] / 60:.1f} | {line['rss_mib']} | {heap} | {line['python_blocks']:,} | "
                  f"{objects} | {runs} | {freed} | {pauses} |")  # fmt: skip
        print("caches (first report -> last):")
        print(
            "  "
            + ", ".join(f"{name} {mine[0]['caches'][name]}->{mine[-1]['caches'][name]}" for name in caches)
        )
        last = mine[-1]
        print("objects grown since start:", json.dumps(last["objects_grown"]))
        for label in ("grown_since_start", "grown_since_last"):
            if label in last:
                print(f"{label} (traced {last['traced_mib']} MiB; KiB, blocks, newest frame first):")
                for stat in last[label]:
                    print(f"  {stat['kib']:>8} {stat['blocks']:>7}  " + " < ".join(stat["where"][:5]))


async def row_counts(url: str) -> dict[str, int]:
    connection = await asyncpg.connect(url)
    try:
        tables = ("sessions", "page_views", "events", "lead_stages")
        return {table: int(await connection.fetchval(f"SELECT count(*) FROM {table}")) for table in tables}
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--scale", type=float, default=1, help="seed scale")
    parser.add_argument("--rate", type=float, default=1, help="multiplies every kind's rate")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--memory-report", type=float, metavar="SECONDS", help="the server's memory report")
    parser.add_argument("--trace-frames", type=int, default=0, help="with it, tracemalloc this deep")
    args = parser.parse_args()
    os.environ |= {
        "RASTRO_INGEST_RATE_PER_KEY": "10000000/minute",
        "RASTRO_INGEST_RATE_PER_IP": "10000000/minute",
    }
    memory = Path(tempfile.mkdtemp(prefix="rastro-soak-")) / "memory.jsonl"
    if args.memory_report:
        os.environ |= {
            "RASTRO_MEMORY_REPORT_PATH": str(memory),
            "RASTRO_MEMORY_REPORT_SECONDS": str(args.memory_report),
            "RASTRO_MEMORY_REPORT_FRAMES": str(args.trace_frames),
        }
    with scratch_database("rastro_bench_soak", args.scale) as url:
        asyncio.run(arrange(url))
        make_key = key_maker(url)
        keys = {role: make_key(role) for role in ("ingest", "analyst", "connector")}
        mix = kinds(keys, asyncio.run(lead_ids(url)), args.rate)
        before = asyncio.run(row_counts(url))
        with served(url, args.workers) as server:
            samples = asyncio.run(soak(server.base_url, server.pid, url, mix, args.minutes * 60))
        after = asyncio.run(row_counts(url))
    report(mix, samples, args.minutes * 60, {table: after[table] - before[table] for table in after})
    if args.memory_report:
        memory_summary(memory)
        print(f"memory report: {memory}")


if __name__ == "__main__":
    main()
