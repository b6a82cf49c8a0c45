"""ingestTransaction over HTTP: any checkout's sale written like a webhook's, once, in order or not."""

import asyncio
from typing import Any

from tests.checkout.conftest import Shop
from tests.checkout.test_closing_the_loop import tracked_lead
from tests.conftest import KeyMaker
from tests.sql import fetch, fetch_one

INGEST = """
mutation($input: IngestTransactionInput!) {
  ingestTransaction(input: $input) {
    transaction { transactionId platform offerPrice currency }
    created status previousStatus
    errors { code field message }
  }
}
"""


def sale(**changes: Any) -> dict[str, Any]:
    return {
        "platform": "eduzz",
        "transactionId": "EDZ-1001",
        "status": "APPROVED",
        "statusDetail": "paid",
        "occurredAt": "2026-11-01T10:00:00-03:00",
        "approvedAt": "2026-11-01T10:00:00-03:00",
        "amount": "497.9000",
        "buyer": {"email": "Comprador@Example.com", "name": "Comprador", "document": "529.982.247-25"},
        "items": [{"externalId": "P-1", "name": "Curso", "unitPrice": "397.90"},
                  {"externalId": "P-BUMP", "name": "Bônus", "unitPrice": "100"}],
        "offer": {"code": "black", "price": "597.90", "couponCode": "BF100"},
        "payment": {"method": "CREDIT_CARD", "installments": 3, "value": "497.90", "cardBrand": "visa",
                    "cardLast4": "1234", "at": "2026-11-01T10:00:00-03:00"},
        "commissions": [{"source": "PRODUCER", "amount": "400"}, {"source": "AFFILIATE", "amount": "97.90",
                                                                   "recipient": "Afiliada"}],
        "tracking": {"utmSource": "google", "utmMedium": "cpc", "utmCampaign": "curso", "src": "ads"},
        **changes,
    }  # fmt: skip


def ingest(shop: Shop, key: str, payload: dict[str, Any]) -> Any:
    with shop.server.client(key) as client:
        answer = client.post("/graphql", json={"query": INGEST, "variables": {"input": payload}}).json()
    assert "errors" not in answer, answer
    return answer["data"]["ingestTransaction"]


def count(url: str, table: str) -> int:
    return int(fetch_one(url, f"SELECT count(*) AS n FROM {table}")["n"])


HISTORY = ("customers", "products", "offers", "transactions", "transaction_items", "platform_commission",
           "platform_transaction_payment_history", "platform_utm_history", "platform_sale_offer_history",
           "transaction_status_history")  # fmt: skip


def test_a_sale_fills_the_purchase_history_once(shop: Shop, make_key: KeyMaker) -> None:
    key = make_key("connector")
    first = ingest(shop, key, sale())
    assert first["errors"] == [] and first["created"] and first["status"] == "APPROVED"
    assert first["transaction"] == {"transactionId": "EDZ-1001", "platform": "eduzz", "offerPrice": "497.9000",
                                    "currency": "BRL"}  # fmt: skip
    counts = {table: count(shop.url, table) for table in HISTORY}
    assert counts == {"customers": 1, "products": 2, "offers": 1, "transactions": 1, "transaction_items": 2,
                      "platform_commission": 2, "platform_transaction_payment_history": 1,
                      "platform_utm_history": 1, "platform_sale_offer_history": 1,
                      "transaction_status_history": 1}  # fmt: skip
    customer = fetch_one(shop.url, "SELECT email, document, document_type, document_valid FROM customers")
    assert customer == {"email": "comprador@example.com", "document": "52998224725", "document_type": "CPF",
                        "document_valid": True}  # fmt: skip
    payment = fetch_one(
        shop.url, "SELECT payment_method::text, payment_type::text, card_last_digits FROM "
        "platform_transaction_payment_history"
    )  # fmt: skip
    assert payment == {
        "payment_method": "credit_card",
        "payment_type": "installments",
        "card_last_digits": "1234",
    }

    again = ingest(shop, key, sale(platform=" EDUZZ "))  # the platform's name in any case: the same sale
    assert again["errors"] == [] and not again["created"] and again["previousStatus"] == "APPROVED"
    assert {table: count(shop.url, table) for table in HISTORY} == counts


def test_a_refund_before_its_approval_ends_refunded(shop: Shop, make_key: KeyMaker) -> None:
    key = make_key("admin")
    refund = sale(status="REFUNDED", statusDetail="refunded", occurredAt="2026-11-05T09:00:00-03:00")
    assert ingest(shop, key, refund)["status"] == "REFUNDED"
    late = ingest(shop, key, sale())
    assert (late["status"], late["previousStatus"]) == ("REFUNDED", "REFUNDED")
    row = fetch_one(shop.url, "SELECT s.code, t.approved_at IS NOT NULL AS approved FROM transactions t "
                              "JOIN transaction_statuses s ON s.id = t.status_id")  # fmt: skip
    assert row == {"code": "refunded", "approved": True}
    history = fetch(shop.url, "SELECT status_detail FROM transaction_status_history ORDER BY occurred_at")
    assert [r["status_detail"] for r in history] == ["paid", "refunded"]


def test_bad_fields_are_named_and_nothing_is_written(shop: Shop, make_key: KeyMaker) -> None:
    bad = sale(
        currency="R$1",
        items=[{"externalId": "P-1", "name": "Curso", "unitPrice": "-1"}, {"externalId": "P-2", "name": "B",
                                                                          "unitPrice": "1", "quantity": 0}],
        payment={"method": "CREDIT_CARD", "cardLast4": "41x1"},
        commissions=[{"source": "FRIEND", "amount": "1.00001"}],
    )  # fmt: skip
    errors = ingest(shop, make_key("connector"), bad)["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("INVALID", ["input", "currency"]),
        ("INVALID", ["input", "items", "0", "unitPrice"]),
        ("INVALID", ["input", "items", "1", "quantity"]),
        ("INVALID", ["input", "commissions", "0", "amount"]),
        ("INVALID", ["input", "commissions", "0", "source"]),
        ("INVALID", ["input", "payment", "cardLast4"]),
    ]
    assert all(count(shop.url, table) == 0 for table in HISTORY)


def test_an_unknown_domain_is_not_found(shop: Shop, make_key: KeyMaker) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    errors = ingest(shop, make_key("connector"), sale(domainId=missing))["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("NOT_FOUND", ["input", "domainId"])]
    assert count(shop.url, "transactions") == 0


def test_only_connectors_and_admins_ingest(shop: Shop, make_key: KeyMaker) -> None:
    for role in ("viewer", "analyst"):
        errors = ingest(shop, make_key(role), sale())["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("FORBIDDEN", None)], role
    assert count(shop.url, "transactions") == 0


def test_a_paid_sale_of_a_tracked_lead_closes_the_loop(shop: Shop, make_key: KeyMaker) -> None:
    lead_id = tracked_lead(shop, make_key)
    assert ingest(shop, make_key("connector"), sale(domainId=str(shop.domain_id)))["errors"] == []
    conversion = fetch_one(
        shop.url, "SELECT lead_id, conversion_name, conversion_value FROM offline_conversions"
    )
    assert (str(conversion["lead_id"]), conversion["conversion_name"]) == (lead_id, "purchase")
    assert str(conversion["conversion_value"]) == "497.90"
    assert count(shop.url, "conversion_outbox") > 0


def test_twenty_concurrent_identical_sales_make_one_transaction(shop: Shop, make_key: KeyMaker) -> None:
    key = make_key("connector")

    async def everyone() -> list[Any]:
        async with shop.server.async_client(key) as client:
            body = {"query": INGEST, "variables": {"input": sale()}}
            answers = await asyncio.gather(*(client.post("/graphql", json=body) for _ in range(20)))
        return [answer.json()["data"]["ingestTransaction"] for answer in answers]

    results = asyncio.run(everyone())
    assert all(result["errors"] == [] for result in results), results
    assert sum(result["created"] for result in results) == 1
    assert {table: count(shop.url, table) for table in HISTORY}["transactions"] == 1
    assert count(shop.url, "transaction_items") == 2 and count(shop.url, "platform_commission") == 2
