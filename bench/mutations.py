"""CRM-connector mutations over HTTP: req/s, p50/p99 at concurrency 1, 8, 32, and SQL statements per call.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/mutations.py [--scale 1]

Creates a scratch database on that server, seeds it, runs `rastro serve` in its own process (so the load
generator does not share its interpreter), drops the database after. Every changeLeadStage and
updateLead request writes (values differ per request); registerOfflineConversion is measured both for
new sales and for connector retries of a sale already registered.
"""

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loadgen import HEADER, run
from bench.served import scratch_database, served
from tests.conftest import key_maker
from tests.live import live_server
from tests.mutations.graphql import (
    CHANGE_LEAD_STAGE,
    REGISTER_OFFLINE_CONVERSION,
    UPDATE_LEAD,
    Mutation,
    body,
)

OPEN_STAGES = ("qualified", "proposal", "negotiation", "new")
Inputs = Callable[[int], dict[str, Any]]


def stage_changes(leads: list[str]) -> Inputs:
    def input_for(n: int) -> dict[str, Any]:
        stage = OPEN_STAGES[n % len(OPEN_STAGES)]
        return {"leadId": leads[n % len(leads)], "stage": stage, "value": f"{n}.00", "reopen": True}

    return input_for


def sales(leads: list[str], name_for: Callable[[int], str]) -> Inputs:
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()

    def input_for(n: int) -> dict[str, Any]:
        return {
            "leadId": leads[n % len(leads)],
            "conversionName": name_for(n),
            "value": "990.00",
            "conversionDate": when,
        }

    return input_for


def lead_updates(leads: list[str]) -> Inputs:
    def input_for(n: int) -> dict[str, Any]:
        return {
            "leadId": leads[n % len(leads)],
            "company": f"Empresa {n}",
            "email": f" Contato{n}@Empresa{n % 7}.com.br ",
            "phone": f"(11) 9{n % 10000:04d}-{n % 10000:04d}",
            "metadata": {"scoring": {"total": n % 101}, "enrichment": {"technologies": ["SAP"]}},
        }

    return input_for


def accepted(mutation: Mutation) -> Callable[[dict[str, Any]], bool]:
    return lambda answer: "errors" not in answer and answer["data"][mutation.field]["errors"] == []


def bodies(mutation: Mutation, inputs: Inputs) -> Callable[[int], dict[str, Any]]:
    return lambda n: body(mutation, inputs(n))


async def lead_ids(url: str) -> list[str]:
    connection = await asyncpg.connect(url)
    try:
        return [
            str(row["lead_id"])
            for row in await connection.fetch("SELECT lead_id FROM leads ORDER BY lead_id")
        ]
    finally:
        await connection.close()


def statements_per_call(url: str, key: str, cases: list[tuple[str, Mutation, Inputs]]) -> dict[str, int]:
    counts = {}
    with live_server(url) as live, live.client(key) as client:
        # The key's first use also records last_used_at: not part of any mutation.
        client.post("/graphql", json={"query": "{ __typename }"})
        for label, mutation, inputs in cases:
            live.counter.reset()
            answer = client.post("/graphql", json=body(mutation, inputs(10**6))).json()
            assert accepted(mutation)(answer), answer
            counts[label] = live.counter.count
    return counts


def measure(base: str, key: str, leads: list[str], args: argparse.Namespace) -> None:
    # One sale per lead, registered once here, then sent again and again as a connector's retries.
    retries = sales(leads, lambda _n: "bench_retry")
    asyncio.run(run(base, key, 8, bodies(REGISTER_OFFLINE_CONVERSION, retries), len(leads), 60))
    print(HEADER)
    for concurrency in (1, 8, 32):
        new_sales = sales(leads, lambda n, level=concurrency: f"bench_c{level}_{n}")
        cases = [
            ("changeLeadStage", CHANGE_LEAD_STAGE, stage_changes(leads)),
            ("registerOfflineConversion new", REGISTER_OFFLINE_CONVERSION, new_sales),
            ("registerOfflineConversion retry", REGISTER_OFFLINE_CONVERSION, retries),
            ("updateLead", UPDATE_LEAD, lead_updates(leads)),
        ]
        for label, mutation, inputs in cases:
            load = run(
                base,
                key,
                concurrency,
                bodies(mutation, inputs),
                args.requests,
                args.seconds,
                accepted(mutation),
            )
            print(asyncio.run(load).row(label), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--requests", type=int, default=200, help="per mutation and concurrency level")
    parser.add_argument("--seconds", type=float, default=20, help="per mutation and level, at most")
    args = parser.parse_args()
    with scratch_database("rastro_bench_mutations", args.scale) as url:
        key = key_maker(url)("connector")
        leads = asyncio.run(lead_ids(url))
        print(f"seed scale {args.scale:g}: {len(leads)} leads; requests go to them round-robin")
        probes = [
            ("changeLeadStage", CHANGE_LEAD_STAGE, stage_changes(leads)),
            ("registerOfflineConversion", REGISTER_OFFLINE_CONVERSION, sales(leads, lambda n: f"probe_{n}")),
            ("updateLead", UPDATE_LEAD, lead_updates(leads)),
        ]
        for label, count in statements_per_call(url, key, probes).items():
            print(f"{label}: {count} SQL statements per call (API key lookup included)")
        with served(url) as server:
            measure(server.base_url, key, leads, args)


if __name__ == "__main__":
    main()
