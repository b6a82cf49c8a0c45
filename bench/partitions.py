"""What partitioning by month costs and gives: the migration's time on seeded data, the journey statement
and a period report before and after it, `rastro partitions` with nothing to do.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/partitions.py [--scale 10]

Seeds a scratch database at the revision before partitioning (dropped after), times the statements, runs
the migration, times them again. docs/decisions/partitioning.md holds a run's figures.
"""

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from graphql import parse

from resolvers.analytics.landing_page_funnel import landing_page_funnel
from resolvers.analytics.period import Period
from resolvers.analytics.scope import Scope
from resolvers.compiled.plan import Plan
from resolvers.context import Limits
from schema.schema import schema
from server.migrate import downgrade, upgrade
from server.partitions import ensure_partitions
from server.seed import seed_database
from tests import pg
from tests.partitions.test_migration import before_partitioning
from tests.partitions.test_pruning import JOURNEY, positional

ROUNDS = 15


async def median_ms(url: str, sql: str, params: list[Any]) -> float:
    connection = await asyncpg.connect(url)
    try:
        took = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            await connection.fetch(sql, *params)
            took.append((time.perf_counter() - started) * 1000)
        return statistics.median(took)
    finally:
        await connection.close()


async def statements(url: str) -> dict[str, tuple[str, list[Any]]]:
    connection = await asyncpg.connect(url)
    try:
        domain = await connection.fetchval("SELECT domain_name FROM domains ORDER BY domain_name LIMIT 1")
        month = await connection.fetchval("SELECT date_trunc('month', now() - interval '1 month')::date")
    finally:
        await connection.close()
    plan = Plan.build(schema._schema, parse(JOURNEY), None)
    assert plan is not None
    journey = plan.bind({"domainName": domain}, Limits(default_page_size=20, max_page_size=100), True)
    period = Period(month + dt.timedelta(days=5), month + dt.timedelta(days=20), "UTC")
    report = positional(*landing_page_funnel(Scope(None, period), live=False))
    return {
        "journey: 20 sessions, their page views and events (compiled)": journey,
        "landingPageFunnel, 15 days": report,
    }


def timed(label: str, action: Any) -> None:
    started = time.perf_counter()
    result = asyncio.run(action)
    if isinstance(result, dict):
        result = f"{sum(result.values()):,} rows"
    print(
        f"{label}: {time.perf_counter() - started:.1f} s{'' if result is None else f' ({result})'}",
        flush=True,
    )


async def no_op(url: str) -> str:
    connection = await asyncpg.connect(url)
    try:
        made = await ensure_partitions(connection, 3)
    finally:
        await connection.close()
    return f"{sum(len(names) for names in made.created.values())} created"


async def vacuum(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10)
    scale = parser.parse_args().scale
    admin_url = os.environ["DATABASE_URL"]
    name = pg.unique_name("partitions_bench")
    url = pg.create_database(admin_url, name)
    try:
        asyncio.run(upgrade(url, before_partitioning()))
        timed(f"seed scale {scale:g}, tables whole", seed_database(url, scale))
        before = {label: asyncio.run(median_ms(url, *s)) for label, s in asyncio.run(statements(url)).items()}
        timed("migration (partitioning, rows copied)", upgrade(url))
        asyncio.run(vacuum(url))
        after = {label: asyncio.run(median_ms(url, *s)) for label, s in asyncio.run(statements(url)).items()}
        timed("rastro partitions, nothing to do", no_op(url))
        timed(
            f"seed scale {scale:g} again, partitioned (rows pass through DEFAULT)", seed_database(url, scale)
        )
        timed("downgrade (back to whole tables)", downgrade(url, before_partitioning()))
        print(f"\nmedian of {ROUNDS}, ms | whole tables | partitioned")
        for label, ms in before.items():
            print(f"{label} | {ms:.1f} | {after[label]:.1f}")
    finally:
        pg.drop_database(admin_url, name)


if __name__ == "__main__":
    main()
