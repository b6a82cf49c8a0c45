"""Tracking ingestion at 32 connections: visits (visit + first page view) and events per second, through
POST /collect (the script's path) and trackVisit (GraphQL), side by side with a floor: the same rows
written by plain asyncpg INSERTs over 32 connections, in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/ingest.py [--seconds 15]

Creates a scratch database on that server with one domain, runs `rastro serve` (one worker) in its own
process with the rate limits raised out of the way, drops the database after.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loadgen import Result
from bench.served import scratch_database, served
from tests.conftest import key_maker
from tests.ingest.tracking import BROWSER, TRACK_VISIT
from tests.mutations.graphql import body

CONNECTIONS = 32
EVENTS_PER_CALL = 10
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


def visit_beacon(n: int, run: str) -> bytes:
    payload = {"type": "visit", "url": f"{ORIGIN}/oferta?{UTMS}", "visitorId": f"{run}-{n}"}
    return json.dumps(payload).encode()


def events_beacon(n: int, run: str) -> bytes:
    events = [{"type": "click", "label": f"cta-{i}", "data": {"i": i}} for i in range(EVENTS_PER_CALL)]
    return json.dumps({"type": "events", "url": f"{ORIGIN}/oferta", "visitorId": f"{run}-{n % 500}",
                       "events": events}).encode()  # fmt: skip


async def api_runs(base: str, key: str, seconds: float) -> dict[str, Result]:
    headers = {"Origin": ORIGIN, "User-Agent": BROWSER}
    limits = httpx.Limits(max_connections=CONNECTIONS)
    results: dict[str, Result] = {}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as client:

        async def collect(content: bytes) -> None:
            response = await client.post(
                "/collect", params={"key": key}, content=content, headers={"Content-Type": "text/plain"}
            )
            if response.status_code != 204:
                raise RuntimeError(response.text)

        async def track_visit(n: int) -> None:
            input = {"url": f"{ORIGIN}/oferta?{UTMS}", "visitorId": f"g-{n}",
                     "client": {"clientIp": "203.0.113.9", "userAgent": BROWSER}}  # fmt: skip
            response = await client.post(
                "/graphql", json=body(TRACK_VISIT, input), headers={"Authorization": f"Bearer {key}"}
            )
            if response.json()["data"]["trackVisit"]["errors"]:
                raise RuntimeError(response.text)

        results["visits /collect"] = await closed_loop(lambda n: collect(visit_beacon(n, "c")), seconds)
        results["visits trackVisit"] = await closed_loop(track_visit, seconds)
        # Visitors c-0..c-499 have sessions now: their events go to them.
        results["events /collect"] = await closed_loop(lambda n: collect(events_beacon(n, "c")), seconds)

        async def not_modified(_n: int) -> None:
            response = await client.get("/t.js", headers={"If-None-Match": etag})

            if response.status_code != 304:
                raise RuntimeError(response.status_code)

        etag = (await client.get("/t.js")).headers["etag"]
        # The HTTP path alone (middleware stack, no SQL): what one request costs before any tracking.
        results["ceiling: GET /t.js 304"] = await closed_loop(not_modified, seconds)
    return results


FLOOR_SESSION = """
INSERT INTO sessions (session_id, domain_id, visitor_id, first_page_id, total_page_views)
VALUES ($1, $2, $3, $4, 1)
"""
FLOOR_CAPTURE = """
INSERT INTO utm_tracking (session_id, page_id, utm_source, utm_medium, utm_campaign, gclid, device,
                          client_ip, user_agent, url_params)
VALUES ($1, $2, 'google', 'cpc', 'bench', 'Cj0KCQ-bench', 'desktop', '127.0.0.1', $3, $4)
"""
NEW_DOMAIN = """
INSERT INTO domains (domain_name, domain_url, allowed_origins) VALUES ($1, $2, $3) RETURNING domain_id
"""


async def floor_runs(url: str, domain_id: uuid.UUID, page_id: uuid.UUID, seconds: float) -> dict[str, Result]:
    """The rows of a visit (session, UTM capture, page view, journey) and of an events call, plain INSERTs."""
    pool = await asyncpg.create_pool(url, min_size=CONNECTIONS, max_size=CONNECTIONS)
    params = json.dumps({"gbraid": None})
    try:

        async def visit(n: int) -> None:
            session_id, visitor = f"floor-{n}-{uuid.uuid4().hex[:6]}", f"f-{n}"
            async with pool.acquire() as connection, connection.transaction():
                await connection.execute(FLOOR_SESSION, session_id, domain_id, visitor, page_id)
                await connection.execute(FLOOR_CAPTURE, session_id, page_id, BROWSER, params)
                await connection.execute(
                    "INSERT INTO page_views (session_id, page_id, view_order) VALUES ($1, $2, 1)",
                    session_id,
                    page_id,
                )
                await connection.execute(
                    "INSERT INTO visitor_journeys (visitor_id, domain_id, total_sessions, total_page_views)"
                    " VALUES ($1, $2, 1, 1)", visitor, domain_id,
                )  # fmt: skip

        async with pool.acquire() as connection:
            sessions = [
                r["session_id"] for r in await connection.fetch("SELECT session_id FROM sessions LIMIT 500")
            ]
        rows = [("click", f"cta-{i}", json.dumps({"i": i})) for i in range(EVENTS_PER_CALL)]

        async def events(n: int) -> None:
            session_id = sessions[n % len(sessions)]
            async with pool.acquire() as connection, connection.transaction():
                await connection.executemany(
                    "INSERT INTO events (session_id, page_id, event_type, event_label, event_data)"
                    " VALUES ($1, $2, $3, $4, $5)",
                    [(session_id, page_id, *row) for row in rows],
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15, help="per measurement")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    os.environ |= {
        "RASTRO_INGEST_RATE_PER_KEY": "10000000/minute",
        "RASTRO_INGEST_RATE_PER_IP": "10000000/minute",
    }
    with scratch_database("rastro_bench_ingest", 0.1) as url:
        domain_id, page_id = asyncio.run(arrange(url))
        key = key_maker(url)("ingest")
        with served(url, args.workers) as server:
            api = asyncio.run(api_runs(server.base_url, key, args.seconds))
        floor = asyncio.run(floor_runs(url, domain_id, page_id, args.seconds))
    print(f"{CONNECTIONS} connections, {args.seconds:g} s each, {args.workers} Rastro worker(s); "
          f"events: {EVENTS_PER_CALL} per call")  # fmt: skip
    print(
        "| what | calls/s | rows/s (visits or events) | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|"
    )
    for label, result in {**api, **floor}.items():
        per = EVENTS_PER_CALL if label.startswith("events") else 1
        print(
            f"| {label} | {result.throughput:.0f} | {result.throughput * per:.0f} | "
            f"{result.percentile(50):.1f} | {result.percentile(99):.1f} | {result.errors} |"
        )
    for kind, api_label in (
        ("visits", "visits /collect"),
        ("visits", "visits trackVisit"),
        ("events", "events /collect"),
    ):
        ratio = api[api_label].throughput / floor[f"{kind} floor"].throughput
        print(f"{api_label}: {ratio:.2f} of the floor")


if __name__ == "__main__":
    main()
