"""Tracking ingestion at 32 connections: visits (visit + first page view) and events per second, through
POST /collect (the script's path) and trackVisit (GraphQL), side by side with a floor: the same rows
written by plain asyncpg INSERTs over 32 connections, in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/ingest.py [--seconds 15]

Needs `wrk` (Debian package wrk): the HTTP load comes from it, a C client, so the server is not charged
for a Python client's CPU on the same cores (httpx cost more CPU per request than the server did).
Creates a scratch database on that server with one domain, runs `rastro serve` in its own process with
the rate limits raised out of the way, counts the rows each run wrote, drops the database after.
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loadgen import Result
from bench.served import scratch_database, served
from server.rate_limits import IngestRateLimits
from tests.conftest import key_maker
from tests.ingest.tracking import BROWSER, TRACK_VISIT

CONNECTIONS = 32
WRK = shutil.which("wrk") or "wrk"
EVENTS_PER_CALL = 10
VISITORS_WITH_EVENTS = 500
HOST = "bench.example.com.br"
ORIGIN = f"https://{HOST}"
UTMS = "utm_source=google&utm_medium=cpc&utm_campaign=bench&gclid=Cj0KCQ-bench"


async def closed_loop(
    call: Callable[[int], Awaitable[None]], seconds: float, connections: int = CONNECTIONS
) -> Result:
    """`connections` workers calling back to back for `seconds`; latencies in ms."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal issued, errors
        while time.monotonic() < deadline:
            n = issued
            issued += 1
            started = time.perf_counter()
            try:
                await call(n)
            except Exception:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return Result(connections, len(latencies), errors, time.perf_counter() - started, latencies)


# wrk scripts: each request builds its body in Lua, so every visit is a new visitor.
LUA_COMMON = """
local thread_no = 0
local counter = 0
setup = function(thread)
  thread_no = thread_no + 1
  thread:set("tag", "t" .. thread_no)
  -- wrk's threads count alike: each starts its events at another visitor, so no two calls in flight
  -- share a session (the floor's calls never do)
  thread:set("offset", (thread_no - 1) * math.floor(%(visitors)d / 2))
end
"""
LUA_VISIT_COLLECT = (
    LUA_COMMON
    + """
request = function()
  counter = counter + 1
  local body = '{"type":"visit","url":"%(origin)s/oferta?%(utms)s","visitorId":"w%(round)s-' .. tag .. '-' ..
               counter .. '"}'
  return wrk.format("POST", "/collect?key=%(key)s", {["Content-Type"]="text/plain", ["Origin"]="%(origin)s",
                    ["User-Agent"]="%(browser)s"}, body)
end
"""
)
LUA_VISIT_GRAPHQL = (
    LUA_COMMON
    + """
request = function()
  counter = counter + 1
  local input = '{"url":"%(origin)s/oferta?%(utms)s","visitorId":"g%(round)s-' .. tag .. '-' .. counter ..
                '","client":{"clientIp":"203.0.113.9","userAgent":"%(browser)s"}}'
  local body = '{"query":%(document)s,"variables":{"input":' .. input .. '}}'
  return wrk.format("POST", "/graphql", {["Content-Type"]="application/json",
                    ["Authorization"]="Bearer %(key)s"}, body)
end
"""
)
LUA_EVENTS_COLLECT = (
    LUA_COMMON
    + """
request = function()
  counter = counter + 1
  local visitor = (counter + offset) %% %(visitors)d
  local body = '{"type":"events","url":"%(origin)s/oferta","visitorId":"e-' .. visitor ..
               '","events":%(events)s}'
  return wrk.format("POST", "/collect?key=%(key)s", {["Content-Type"]="text/plain", ["Origin"]="%(origin)s",
                    ["User-Agent"]="%(browser)s"}, body)
end
"""
)


@dataclass(frozen=True)
class HttpRun:
    calls_per_s: float
    rows_per_s: float
    p50_ms: float
    p99_ms: float
    bad_answers: int
    server_cpu_ms: float  # the server process's CPU per call


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(
    base: str, script: str, seconds: float, pid: int, count_rows: Callable[[], int], path: str = "/"
) -> HttpRun:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        rows_before, cpu_before = count_rows(), cpu_seconds(pid)
        out = subprocess.run(
            [WRK, "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency", "-s", lua.name, base + path],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        rows, cpu = count_rows() - rows_before, cpu_seconds(pid) - cpu_before
    calls = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    elapsed = float(re.search(r"requests in ([\d.]+)s", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def latency(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return HttpRun(calls / elapsed, rows / elapsed, latency("50"), latency("99"),
                   int(bad.group(1)) if bad else 0, cpu * 1000 / max(calls, 1))  # fmt: skip


def api_runs(
    base: str, pid: int, key: str, url: str, seconds: float, round_no: int = 0
) -> dict[str, HttpRun]:
    def rows(table: str) -> Callable[[], int]:
        async def count() -> int:
            connection = await asyncpg.connect(url)
            try:
                return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))
            finally:
                await connection.close()

        return lambda: asyncio.run(count())

    events = [{"type": "click", "label": f"cta-{i}", "data": {"i": i}} for i in range(EVENTS_PER_CALL)]
    values = {
        "origin": ORIGIN,
        "round": round_no,  # every round's visits are new visitors
        "utms": UTMS,
        "key": key,
        "browser": BROWSER,
        "visitors": VISITORS_WITH_EVENTS,
        "document": json.dumps(TRACK_VISIT.document).replace("\\", "\\\\").replace("'", "\\'"),
        "events": json.dumps(events),
    }
    headers = {"Origin": ORIGIN, "User-Agent": BROWSER, "Content-Type": "text/plain"}
    with httpx.Client(base_url=base, headers=headers) as client:
        for n in range(VISITORS_WITH_EVENTS):  # the visitors whose sessions the events go to
            beacon = {"type": "visit", "url": f"{ORIGIN}/oferta", "visitorId": f"e-{n}"}
            client.post("/collect", params={"key": key}, content=json.dumps(beacon)).raise_for_status()
        etag = client.get("/t.js").headers["etag"]
    return {
        "visits /collect": wrk(base, LUA_VISIT_COLLECT % values, seconds, pid, rows("sessions")),
        "visits trackVisit": wrk(base, LUA_VISIT_GRAPHQL % values, seconds, pid, rows("sessions")),
        "events /collect": wrk(base, LUA_EVENTS_COLLECT % values, seconds, pid, rows("events")),
        # The HTTP path alone (middleware stack, no SQL): what one request costs before any tracking.
        "ceiling: GET /t.js 304": wrk(
            base, f'wrk.headers["If-None-Match"] = {json.dumps(etag)}', seconds, pid, lambda: 0, "/t.js"
        ),
    }


FLOOR_SESSION = """
INSERT INTO sessions (session_id, domain_id, visitor_id, first_page_id, total_page_views)
VALUES ($1, $2, $3, $4, 1)
"""
FLOOR_CAPTURE = """
INSERT INTO utm_tracking (session_id, domain_id, page_id, utm_source, utm_medium, utm_campaign, gclid, device,
                          client_ip, user_agent, url_params)
VALUES ($1, $2, $3, 'google', 'cpc', 'bench', 'Cj0KCQ-bench', 'desktop', '127.0.0.1', $4, $5)
"""
NEW_DOMAIN = """
INSERT INTO domains (domain_name, domain_url, allowed_origins) VALUES ($1, $2, $3) RETURNING domain_id
"""


async def floor_runs(
    url: str, domain_id: uuid.UUID, page_id: uuid.UUID, seconds: float, round_no: int = 0
) -> dict[str, Result]:
    """The rows of a visit (session, UTM capture, page view, journey) and of an events call, plain INSERTs."""
    pool = await asyncpg.create_pool(url, min_size=CONNECTIONS, max_size=CONNECTIONS)
    params = json.dumps({"gbraid": None})
    try:

        async def visit(n: int) -> None:
            session_id, visitor = f"floor-{round_no}-{n}-{uuid.uuid4().hex[:6]}", f"f{round_no}-{n}"
            async with pool.acquire() as connection, connection.transaction():
                await connection.execute(FLOOR_SESSION, session_id, domain_id, visitor, page_id)
                await connection.execute(FLOOR_CAPTURE, session_id, domain_id, page_id, BROWSER, params)
                await connection.execute(
                    "INSERT INTO page_views (session_id, domain_id, page_id, view_order)"
                    " VALUES ($1, $2, $3, 1)",
                    session_id,
                    domain_id,
                    page_id,
                )
                await connection.execute(
                    "INSERT INTO visitor_journeys (visitor_id, domain_id, total_sessions, total_page_views)"
                    " VALUES ($1, $2, 1, 1)", visitor, domain_id,
                )  # fmt: skip

        async with pool.acquire() as connection:
            # The seeded sessions are of several domains: each event row names its session's.
            sessions = [
                (r["session_id"], r["domain_id"])
                for r in await connection.fetch("SELECT session_id, domain_id FROM sessions LIMIT 500")
            ]
        rows = [("click", f"cta-{i}", json.dumps({"i": i})) for i in range(EVENTS_PER_CALL)]

        async def events(n: int) -> None:
            session_id, session_domain = sessions[n % len(sessions)]
            async with pool.acquire() as connection, connection.transaction():
                await connection.executemany(
                    "INSERT INTO events (session_id, domain_id, page_id, event_type, event_label, event_data)"
                    " VALUES ($1, $2, $3, $4, $5, $6)",
                    [(session_id, session_domain, page_id, *row) for row in rows],
                )

        return {
            "visits floor": await closed_loop(visit, seconds),
            "events floor": await closed_loop(events, seconds),
        }
    finally:
        await pool.close()


async def arrange(url: str) -> tuple[uuid.UUID, uuid.UUID]:
    connection = await asyncpg.connect(url)
    try:
        domain_id = await connection.fetchval(NEW_DOMAIN, HOST, ORIGIN, [ORIGIN])
        page_id = await connection.fetchval(
            "INSERT INTO landing_pages (domain_id, page_url) VALUES ($1, '/oferta') RETURNING page_id",
            domain_id,
        )
        return domain_id, page_id
    finally:
        await connection.close()


def rate_limit_costs(requests: int = 50_000) -> None:
    """CPU of the per-IP limit check with many clients in one window (a campaign's visitors each have one)."""
    for clients in (1, 10_000, 50_000):
        limits = IngestRateLimits("10000000/minute", "60/minute")
        started = time.process_time()

        async def hits(limits: IngestRateLimits = limits, clients: int = clients) -> None:
            for n in range(requests):
                ip = n % clients
                await limits.retry_after("key", f"10.{ip // 65536}.{ip // 256 % 256}.{ip % 256}")
                await asyncio.sleep(0)  # as in the server: other requests run between two checks

        asyncio.run(hits())
        cost = (time.process_time() - started) / requests * 1e6
        print(f"rate-limit check, {clients} client IPs in the window: {cost:.1f} µs of CPU per request")


def ratios(api: dict[str, HttpRun], floor: dict[str, Result]) -> dict[str, float]:
    """Rows per second through Rastro over the floor's, per path."""
    found = {}
    for kind, label in (
        ("visits", "visits /collect"),
        ("visits", "visits trackVisit"),
        ("events", "events /collect"),
    ):
        per = EVENTS_PER_CALL if kind == "events" else 1
        found[label] = api[label].rows_per_s / (floor[f"{kind} floor"].throughput * per)
    return found


def print_round(load: float, api: dict[str, HttpRun], floor: dict[str, Result]) -> None:
    print(f"load average {load:.1f}")
    print("| what | calls/s | rows/s | p50 ms | p99 ms | errors | server CPU ms/call |")
    print("|---|---|---|---|---|---|---|")
    for label, run in api.items():
        print(
            f"| {label} | {run.calls_per_s:.0f} | {run.rows_per_s:.0f} | {run.p50_ms:.1f} | "
            f"{run.p99_ms:.1f} | {run.bad_answers} | {run.server_cpu_ms:.2f} |"
        )
    for label, result in floor.items():
        per = EVENTS_PER_CALL if label.startswith("events") else 1
        print(
            f"| {label} | {result.throughput:.0f} | {result.throughput * per:.0f} | "
            f"{result.percentile(50):.1f} | {result.percentile(99):.1f} | {result.errors} | |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15, help="per measurement")
    parser.add_argument("--workers", type=int, default=1)
    # Rastro and the floor alternate, so a machine whose load drifts weighs on both alike.
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/ingest.py needs wrk: apt-get install wrk")
    os.environ |= {
        "RASTRO_POOL_SIZE": str(CONNECTIONS),  # as many connections as the floor has
        "RASTRO_INGEST_RATE_PER_KEY": "10000000/minute",
        "RASTRO_INGEST_RATE_PER_IP": "10000000/minute",
    }
    print(f"{CONNECTIONS} connections, {args.seconds:g} s each, {args.workers} Rastro worker(s); "
          f"events: {EVENTS_PER_CALL} per call; {args.rounds} rounds, Rastro then the floor")  # fmt: skip
    found: list[dict[str, float]] = []
    with scratch_database("rastro_bench_ingest", 0.1) as url:
        domain_id, page_id = asyncio.run(arrange(url))
        key = key_maker(url)("ingest")
        with served(url, args.workers) as server:
            for round_no in range(args.rounds):
                api = api_runs(server.base_url, server.pid, key, url, args.seconds, round_no)
                floor = asyncio.run(floor_runs(url, domain_id, page_id, args.seconds, round_no))
                print_round(os.getloadavg()[0], api, floor)
                found.append(ratios(api, floor))
    for label in found[0]:
        each = sorted(r[label] for r in found)
        rounds = ", ".join(f"{r:.2f}" for r in each)
        print(f"{label}: {statistics.median(each):.2f} of the floor (median of rounds {rounds})")
    rate_limit_costs()


if __name__ == "__main__":
    main()
