"""Journey query over HTTP at seed scale 10: req/s, p50/p99 at concurrency 1, 8, 32, SQL statements, peak RSS.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/journey.py [--scale 10]

Creates a scratch database on that server, seeds it, runs `rastro serve` in its own process, drops it after.
"""

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loadgen import HEADER, run
from bench.served import memory_mib, scratch_database, served
from schema.graphiql import JOURNEY_QUERY
from tests.conftest import key_maker
from tests.live import live_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--requests", type=int, default=300, help="per concurrency level")
    parser.add_argument("--seconds", type=float, default=30, help="per concurrency level, at most")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    with scratch_database("rastro_bench", args.scale) as url:
        key = key_maker(url)("analyst")
        body = {"query": JOURNEY_QUERY}
        with live_server(url) as live, live.client(key) as client:
            live.counter.reset()
            answer = client.post("/graphql", json=body).json()
            assert "errors" not in answer, answer
            statements = live.counter.count
        with served(url, args.workers) as server:
            print(f"journey query: {statements} SQL statements per request (API key lookup included)")
            print(HEADER)
            for concurrency in (1, 8, 32):
                result = asyncio.run(
                    run(server.base_url, key, concurrency, lambda _n: body, args.requests, args.seconds)
                )
                print(result.row("journey"))
            print(f"server peak RSS: {memory_mib(server.pid):.0f} MiB")


if __name__ == "__main__":
    main()
