"""Every analytics report over HTTP, one at a time: p50/p99 per report at a seed scale (default 10 and 100).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/analytics.py [--scale 10 100]

Creates a scratch database per scale on that server, seeds it, runs `rastro serve` in its own process,
drops it after (`--database URL` reuses a seeded one instead and keeps it). Each request selects every
field of the report's rows, over the whole seed (no period) unless the report needs an id; with
`--last-days N`, reports that take a period ask for the seed's last N local days instead (an analyst's
"last 30 days"), which whole-history summaries cannot answer.
"""

import argparse
import asyncio
import datetime as dt
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from graphql import GraphQLObjectType

from bench.loadgen import run
from bench.served import scratch_database, served
from schema.schema import build_schema
from server.analytics_csv import document
from tests.conftest import key_maker

BOUND_MS = 200.0

# Each report with the arguments that make it answer on the seed (ids the seed always writes).
REPORTS: list[tuple[str, dict[str, Any]]] = [
    ("campaignPerformance", {}),
    ("landingPageFunnel", {}),
    ("visitorTypes", {}),
    ("channelRoi", {}),
    ("paymentFailures", {"customerId": 12345}),
    ("paymentSuccessRates", {}),
    ("supportTimeline", {"internalId": 987654}),
    ("sourceMediumRoi", {}),
    ("adVariants", {}),
    ("touchJourneys", {}),
    ("affiliateCorrelation", {}),
    ("customerInvoices", {"customerId": 12345}),
    ("invoiceReconciliation", {}),
    ("invoiceAudit", {}),
    ("offerChanges", {"offerId": "OFFER123"}),
    ("transactionOffer", {"transactionId": "TX987654"}),
    ("offerVersions", {"code": "BASICCOURSE"}),
    ("transaction360", {"transactionId": "TX123456"}),
    ("transactionTotals", {"groupBy": ["UTM_SOURCE", "AFFILIATE", "MONTH"]}),
    ("sessionTotals", {"groupBy": ["UTM_CAMPAIGN", "WEEK"]}),
    ("attribution", {"model": "TIME_DECAY", "groupBy": "CAMPAIGN"}),
    ("compareModels", {"groupBy": "SOURCE"}),
    ("abTests", {}),
]


@contextmanager
def database(scale: float, reuse: str | None) -> Iterator[str]:
    if reuse is not None:
        with nullcontext(reuse) as url:
            yield url
        return
    with scratch_database("rastro_bench_analytics", scale) as url:
        yield url


async def last_days(url: str, days: int) -> dict[str, str]:
    """The period of the seed's last `days` local days (São Paulo), ending with its latest session's day."""
    connection = await asyncpg.connect(url)
    try:
        latest = await connection.fetchval(
            "SELECT (max(created_at) AT TIME ZONE 'America/Sao_Paulo')::date FROM sessions"
        )
    finally:
        await connection.close()
    end = latest + dt.timedelta(days=1)
    return {"from": (end - dt.timedelta(days=days)).isoformat(), "to": end.isoformat()}


def bodies(period: dict[str, str] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Each report's query selecting every field of its rows, as GET /analytics/REPORT.csv asks for them."""
    analytics = build_schema()._schema.get_type("Analytics")
    assert isinstance(analytics, GraphQLObjectType)
    asked = []
    for name, args in REPORTS:
        field = analytics.fields[name]
        if period is not None and "period" in field.args:
            args = {**args, "period": period}
        asked.append((name, {"query": document(name, field, args), "variables": args}))
    return asked


def timed(base_url: str, key: str, name: str, body: dict[str, Any], requests: int, seconds: float) -> str:
    """One report asked `requests` times, one at a time, after 3 warm-up requests: its table row."""
    rows: list[int] = []

    def answered(answer: dict[str, Any]) -> bool:
        if "errors" in answer:
            print(answer["errors"], file=sys.stderr)
            return False
        rows.append(len(answer["data"]["analytics"][name]["rows"]))
        return True

    asyncio.run(run(base_url, key, 1, lambda _n: body, 3, seconds, answered))
    result = asyncio.run(run(base_url, key, 1, lambda _n: body, requests, seconds, answered))
    p50, p99 = result.percentile(50), result.percentile(99)
    under = "yes" if p99 < BOUND_MS and not result.errors else "NO"
    count = rows[-1] if rows else "-"
    return f"| {name} | {count} | {result.requests} | {p50:.1f} | {p99:.1f} | {under} | {result.errors} |"


def bench(
    url: str, scale: float, requests: int, seconds: float, days: int | None, only: list[str] | None
) -> None:
    key = key_maker(url, f"bench-{uuid.uuid4().hex[:8]}")("analyst")  # a reused database has earlier keys
    period = None if days is None else asyncio.run(last_days(url, days))
    with served(url) as server:
        asked = "the whole seed" if period is None else f"days {period['from']} to {period['to']} (excluded)"
        print(f"\nscale {scale:g}, {asked}: up to {requests} requests per report, one at a time", flush=True)
        print(f"| report | rows | requests | p50 ms | p99 ms | p99 < {BOUND_MS:.0f} ms | errors |")
        print("|---|---|---|---|---|---|---|", flush=True)
        table = []
        for name, body in bodies(period):
            if only and name not in only:
                continue
            table.append(timed(server.base_url, key, name, body, requests, seconds))
            print(table[-1], flush=True)
        over = sum("| NO |" in row for row in table)
        print(f"{over} of {len(table)} reports at or over {BOUND_MS:.0f} ms p99 (or with errors)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, nargs="+", default=[10, 100])
    parser.add_argument("--requests", type=int, default=100, help="per report")
    parser.add_argument("--seconds", type=float, default=60, help="per report, at most")
    parser.add_argument("--database", help="an already seeded database to use (one scale only)")
    parser.add_argument("--last-days", type=int, help="ask reports that take a period for the last N days")
    parser.add_argument("--report", action="append", help="only this report (repeatable); default: all")
    args = parser.parse_args()
    for scale in args.scale:
        with database(scale, args.database) as url:
            bench(url, scale, args.requests, args.seconds, args.last_days, args.report)


if __name__ == "__main__":
    main()
