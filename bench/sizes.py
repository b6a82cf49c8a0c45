"""What Rastro's data costs as it grows: rows, table and index sizes, journey and report latency per scale.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/sizes.py [--scale 1 10 100]

Seeds a scratch database per scale on that server (dropped after), counts every table's rows, reads
pg_relation_size, pg_indexes_size and pg_total_relation_size, then asks the journey query and three
reports one at a time through `rastro serve`. docs/scaling.md holds a run's figures.
"""

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg

from bench.analytics import bodies, timed
from bench.loadgen import run
from bench.served import scratch_database, served
from schema.graphiql import JOURNEY_QUERY
from tests.conftest import key_maker

# A partitioned table is listed once, with its monthly partitions' sizes summed.
SIZES = """
    SELECT c.relname AS name, sum(pg_relation_size(p.relid)) AS heap,
           sum(pg_indexes_size(p.relid)) AS indexes, sum(pg_total_relation_size(p.relid)) AS total
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL (SELECT relid FROM pg_partition_tree(c.oid) UNION SELECT c.oid) p
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm', 'p') AND NOT c.relispartition
      AND c.relname <> 'alembic_version'
    GROUP BY c.relname
    ORDER BY total DESC
"""
REPORTS = ("campaignPerformance", "touchJourneys", "sessionTotals", "attribution")
MIB = 1024 * 1024


async def table_sizes(url: str) -> list[dict[str, Any]]:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("VACUUM ANALYZE")
        tables = [dict(row) for row in await connection.fetch(SIZES)]
        for table in tables:
            table["rows"] = await connection.fetchval(f'SELECT count(*) FROM "{table["name"]}"')
        return tables
    finally:
        await connection.close()


def print_sizes(scale: float, tables: list[dict[str, Any]]) -> None:
    print(f"\nscale {scale:g}: rows and sizes (MiB), largest first")
    print("| table | rows | heap | indexes | total |")
    print("|---|---|---|---|---|")
    for table in tables:
        if table["rows"]:
            heap, indexes, total = (table[k] / MIB for k in ("heap", "indexes", "total"))
            print(f"| {table['name']} | {table['rows']:,} | {heap:.2f} | {indexes:.2f} | {total:.2f} |")
    rows = sum(t["rows"] for t in tables)
    print(f"| **all** | {rows:,} | | | {sum(t['total'] for t in tables) / MIB:.1f} |", flush=True)


def latencies(url: str, requests: int, seconds: float) -> None:
    key = key_maker(url)("analyst")
    reports = [(name, body) for name, body in bodies() if name in REPORTS]
    with served(url) as server:
        journey = {"query": JOURNEY_QUERY}
        asyncio.run(run(server.base_url, key, 1, lambda _n: journey, 3, seconds))
        result = asyncio.run(run(server.base_url, key, 1, lambda _n: journey, requests, seconds))
        p50, p99 = result.percentile(50), result.percentile(99)
        print(f"\njourney (GraphiQL default, Python path): p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
              f"{result.requests} requests, {result.errors} errors")  # fmt: skip
        print("| report | rows | requests | p50 ms | p99 ms | p99 < 200 ms | errors |")
        print("|---|---|---|---|---|---|---|")
        for name, body in reports:
            print(timed(server.base_url, key, name, body, requests, seconds), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--requests", type=int, default=20, help="per query")
    parser.add_argument("--seconds", type=float, default=20, help="per query, at most")
    args = parser.parse_args()
    for scale in args.scale:
        with scratch_database("rastro_bench_sizes", scale) as url:
            print_sizes(scale, asyncio.run(table_sizes(url)))
            latencies(url, args.requests, args.seconds)


if __name__ == "__main__":
    main()
