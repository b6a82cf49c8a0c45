"""Webhooks under real concurrent HTTP: repeats make one set of rows, different events one transaction each."""

import asyncio
from typing import Any

import asyncpg
import httpx

from tests.checkout import payloads
from tests.checkout.conftest import HOTTOK, SECRET_KEY, Shop, body_of, kiwify_signature, make_domain
from tests.checkout.test_webhooks import counts
from tests.conftest import KeyMaker
from tests.live import live_server
from tests.sql import fetch, fetch_one


async def _post_all(shop: Shop, deliveries: list[tuple[str, Any]]) -> list[httpx.Response]:
    async with shop.server.async_client(timeout=120) as client:

        async def post(platform: str, payload: Any) -> httpx.Response:
            body = body_of(payload)
            if platform == "hotmart":
                return await client.post(
                    "/webhooks/hotmart", content=body, headers={"X-HOTMART-HOTTOK": HOTTOK}
                )
            return await client.post(
                "/webhooks/kiwify", content=body, params={"signature": kiwify_signature(body)}
            )

        return list(await asyncio.gather(*(post(p, payload) for p, payload in deliveries)))


def post_all(shop: Shop, deliveries: list[tuple[str, Any]]) -> list[httpx.Response]:
    return asyncio.run(_post_all(shop, deliveries))


def test_20_concurrent_deliveries_of_the_same_event_give_one_set_of_rows(shop: Shop) -> None:
    hot, kiw = payloads.hotmart(), payloads.kiwify()
    answers = post_all(shop, [("hotmart", hot)] * 20 + [("kiwify", kiw)] * 20)
    assert [a.status_code for a in answers] == [200] * 40
    assert sum(not a.json()["duplicate"] for a in answers) == 2  # one first delivery per event
    assert counts(shop.url) == {
        "checkout_events": 2, "transactions": 2, "customers": 2, "products": 2, "offers": 2,
        "transaction_items": 2, "platform_commission": 6, "platform_transaction_payment_history": 2,
        "platform_utm_history": 1, "platform_sale_offer_history": 2, "transaction_status_history": 2,
        "subscriptions": 2,
    }  # fmt: skip
    assert fetch(shop.url, "SELECT deliveries FROM checkout_events") == [{"deliveries": 20}] * 2


def test_200_concurrent_different_events_give_200_transactions(shop: Shop) -> None:
    deliveries: list[tuple[str, Any]] = []
    for i in range(100):
        hot = payloads.hotmart(transaction=f"HP-{i:03}")
        hot["data"]["buyer"]["email"] = f"buyer{i % 10}@example.com"  # ten buyers, one product
        hot["data"]["buyer"]["document"] = None
        del hot["data"]["subscription"]  # one-off sales: a subscription's charges come days apart
        deliveries.append(("hotmart", hot))
        kiw = payloads.kiwify(order_id=f"K-{i:03}", subscription_id=None, Subscription=None)
        kiw["Customer"]["email"] = f"kbuyer{i % 10}@example.com"
        kiw["Customer"]["CPF"] = None
        deliveries.append(("kiwify", kiw))
    answers = post_all(shop, deliveries)
    # An overloaded server sheds with 503 + Retry-After and keeps nothing; the platform sends those again.
    # (503 TIMEOUT too: a request past RASTRO_REQUEST_TIMEOUT_SECONDS on a loaded machine.)
    for _ in range(10):
        assert {a.status_code for a in answers} <= {200, 503}
        shed = [i for i, a in enumerate(answers) if a.status_code == 503]
        if not shed:
            break
        for i, answer in zip(shed, post_all(shop, [deliveries[i] for i in shed]), strict=True):
            answers[i] = answer
    assert [a.status_code for a in answers] == [200] * 200
    assert {a.json()["status"] for a in answers} == {"applied"}
    seen = counts(shop.url)
    assert (seen["checkout_events"], seen["transactions"], seen["transaction_items"]) == (200, 200, 200)
    assert (seen["customers"], seen["products"], seen["offers"]) == (20, 2, 2)
    per_platform = fetch(
        shop.url,
        "SELECT platform, count(*) AS n, sum(offer_price) AS total FROM transactions GROUP BY 1 ORDER BY 1",
    )
    assert [(r["platform"], r["n"], str(r["total"])) for r in per_platform] == [
        ("hotmart", 100, "150000.0000"), ("kiwify", 100, "5298.0000")]  # fmt: skip


def test_concurrent_events_of_one_transaction_end_in_its_highest_state(shop: Shop) -> None:
    events = [("PURCHASE_BILLET_PRINTED", 1), ("PURCHASE_APPROVED", 2), ("PURCHASE_COMPLETE", 30),
              ("PURCHASE_REFUNDED", 31), ("PURCHASE_CHARGEBACK", 40)]  # fmt: skip
    deliveries: list[tuple[str, Any]] = []
    for event, day in events:
        payload = payloads.hotmart(event, creation_date=1700000000000 + day * 86_400_000, transaction="HP-X")
        deliveries += [("hotmart", payload)] * 4
    answers = post_all(shop, deliveries)
    assert [a.status_code for a in answers] == [200] * 20
    final = fetch_one(
        shop.url,
        "SELECT s.code, t.status_detail FROM transactions t JOIN transaction_statuses s ON s.id = t.status_id",
    )
    assert final == {"code": "chargeback", "status_detail": "CHARGEBACK"}
    assert fetch_one(shop.url, "SELECT count(*) AS n FROM transaction_status_history")["n"] == 5


def test_a_write_stuck_behind_a_lock_answers_503_keeps_nothing_and_the_retry_is_applied(
    db_url: str, make_key: KeyMaker
) -> None:
    with live_server(db_url, secret_key=SECRET_KEY, lock_timeout_ms=300) as server:
        shop = Shop(server, db_url, make_domain(db_url), make_key("admin"))
        shop.set_account("HOTMART", HOTTOK)
        payload = payloads.hotmart()

        async def blocked() -> httpx.Response:
            holder = await asyncpg.connect(db_url)
            try:
                async with holder.transaction():
                    await holder.execute("LOCK TABLE checkout_events IN EXCLUSIVE MODE")
                    return (await _post_all(shop, [("hotmart", payload)]))[0]
            finally:
                await holder.close()

        answer = asyncio.run(blocked())
        assert answer.status_code == 503 and answer.headers["retry-after"] == "2"
        assert answer.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert counts(db_url)["checkout_events"] == 0
        assert shop.hotmart(payload).json()["status"] == "applied"  # the platform's retry
        assert counts(db_url)["transactions"] == 1
