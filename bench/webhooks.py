"""Checkout webhooks at 16 connections: Hotmart and Kiwify events per second, each a distinct signed sale
stored raw and applied before the 200, beside a floor: the raw event alone INSERTed by plain asyncpg over
16 connections, in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/webhooks.py [--seconds 15]

Creates a scratch database on that server with one domain and its two checkout accounts, runs
`rastro serve` in its own process, drops the database after.
"""

import argparse
import asyncio
import os
import sys
import uuid
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import closed_loop
from bench.loadgen import Result
from bench.served import scratch_database, served
from integrations.secret_box import SecretBox
from models.enums import CheckoutPlatform
from resolvers.checkout.accounts import set_checkout_account
from server.database import create_engine, create_sessionmaker
from server.settings import Settings
from tests.checkout import payloads
from tests.checkout.conftest import HOTTOK, KIWIFY_TOKEN, body_of, kiwify_signature

CONNECTIONS = 16
HOST = "webhooks.bench.example.com.br"


def hotmart_event(n: int, run: str) -> bytes:
    payload = payloads.hotmart(transaction=f"HP-{run}-{n}")
    payload["data"]["buyer"]["email"] = f"buyer-{run}-{n}@example.com"
    return body_of(payload)


def kiwify_event(n: int, run: str) -> bytes:
    payload = payloads.kiwify(order_id=f"{run}-{n}-{uuid.uuid4()}")
    payload["Customer"]["email"] = f"buyer-{run}-{n}@example.com"
    return body_of(payload)


async def arrange(url: str, box: SecretBox) -> uuid.UUID:
    connection = await asyncpg.connect(url)
    try:
        domain_id: uuid.UUID = await connection.fetchval(
            "INSERT INTO domains (domain_name, domain_url) VALUES ($1, $2) RETURNING domain_id", HOST,
            f"https://{HOST}",
        )  # fmt: skip
    finally:
        await connection.close()
    engine = create_engine(url, Settings())
    try:
        async with create_sessionmaker(engine).begin() as session:
            for platform, token in (
                (CheckoutPlatform.HOTMART, HOTTOK),
                (CheckoutPlatform.KIWIFY, KIWIFY_TOKEN),
            ):
                await set_checkout_account(session, box, domain_id, platform, platform.value, token)
    finally:
        await engine.dispose()
    return domain_id


async def api_runs(base: str, seconds: float) -> dict[str, Result]:
    limits = httpx.Limits(max_connections=CONNECTIONS)
    results: dict[str, Result] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def hotmart(n: int) -> None:
            response = await client.post(
                "/webhooks/hotmart", content=hotmart_event(n, "h"), headers={"X-HOTMART-HOTTOK": HOTTOK}
            )
            if response.status_code != 200 or response.json()["status"] != "applied":
                raise RuntimeError(response.text)

        async def kiwify(n: int) -> None:
            content = kiwify_event(n, "k")
            response = await client.post(
                "/webhooks/kiwify", content=content, params={"signature": kiwify_signature(content)}
            )
            if response.status_code != 200 or response.json()["status"] != "applied":
                raise RuntimeError(response.text)

        results["POST /webhooks/hotmart"] = await closed_loop(hotmart, seconds, CONNECTIONS)
        results["POST /webhooks/kiwify"] = await closed_loop(kiwify, seconds, CONNECTIONS)
    return results


FLOOR = """
INSERT INTO checkout_events (platform, dedup_key, event_type, domain_id, payload, status)
VALUES ($1, $2, $3, $4, $5::jsonb, 'applied')
"""


async def floor_run(url: str, domain_id: uuid.UUID, seconds: float) -> Result:
    """The raw event alone: one INSERT of the payload per event, in its own transaction."""
    pool = await asyncpg.create_pool(url, min_size=CONNECTIONS, max_size=CONNECTIONS)
    try:

        async def store(n: int) -> None:
            body = hotmart_event(n, "f").decode()
            async with pool.acquire() as connection:
                await connection.execute(FLOOR, "floor", f"f-{n}", "PURCHASE_APPROVED", domain_id, body)

        return await closed_loop(store, seconds, CONNECTIONS)
    finally:
        await pool.close()


async def rows_written(url: str, domain_id: uuid.UUID) -> dict[str, dict[str, int]]:
    """What the runs wrote for the bench's domain (the seed's own sales left out)."""
    connection = await asyncpg.connect(url)
    try:
        query = """
        SELECT (SELECT count(*) FROM checkout_events WHERE platform = $1 AND domain_id = $2) AS events,
               (SELECT count(*) FROM transactions WHERE platform = $1 AND domain_id = $2) AS transactions,
               (SELECT count(*) FROM transaction_status_history h
                  JOIN transactions t ON t.id = h.transaction_id WHERE t.platform = $1 AND t.domain_id = $2)
                 AS history,
               (SELECT count(*) FROM platform_transaction_payment_history h
                  JOIN transactions t ON t.id = h.transaction_id WHERE t.platform = $1 AND t.domain_id = $2)
                 AS payments
        """
        found = {p: await connection.fetchrow(query, p, domain_id) for p in ("hotmart", "kiwify")}
        return {platform: dict(row) for platform, row in found.items() if row is not None}
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15, help="per measurement")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    key = os.environ.setdefault("RASTRO_SECRET_KEY", SecretBox.generate_key())
    with scratch_database("rastro_bench_webhooks", 0.1) as url:
        domain_id = asyncio.run(arrange(url, SecretBox(key)))
        with served(url, args.workers) as server:
            api = asyncio.run(api_runs(server.base_url, args.seconds))
        written = asyncio.run(rows_written(url, domain_id))
        floor = asyncio.run(floor_run(url, domain_id, args.seconds))
    print(f"{CONNECTIONS} connections, {args.seconds:g} s each, {args.workers} Rastro worker(s)")
    print("| what | events/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
    for label, result in {**api, "floor: raw event INSERT (asyncpg)": floor}.items():
        print(
            f"| {label} | {result.throughput:.0f} | {result.percentile(50):.1f} | "
            f"{result.percentile(99):.1f} | {result.errors} |"
        )
    for platform, counts in written.items():
        label = f"POST /webhooks/{platform}"
        print(f"{label}: {api[label].requests} answered, rows: {counts}; "
              f"{api[label].throughput / floor.throughput:.2f} of the floor")  # fmt: skip


if __name__ == "__main__":
    main()
