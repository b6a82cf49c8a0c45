"""POST /webhooks/hotmart and /webhooks/kiwify with the research doc's payloads: rows in SQL, refusals."""

import datetime as dt
import json
import logging
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.checkout import payloads
from tests.checkout.conftest import HOTTOK, KIWIFY_TOKEN, Shop, body_of, kiwify_signature
from tests.sql import fetch, fetch_one

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def ms(moment: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(moment / 1000, dt.UTC)


def counts(url: str) -> dict[str, int]:
    tables = ("checkout_events", "transactions", "customers", "products", "offers", "transaction_items",
              "platform_commission", "platform_transaction_payment_history", "platform_utm_history",
              "platform_sale_offer_history", "transaction_status_history", "subscriptions")  # fmt: skip
    return {t: fetch_one(url, f"SELECT count(*) AS n FROM {t}")["n"] for t in tables}


def test_hotmart_test_postback_fills_the_reference_tables(shop: Shop) -> None:
    payload = payloads.hotmart()
    answer = shop.hotmart(payload)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "applied" and answer.json()["duplicate"] is False
    tx = fetch_one(
        shop.url,
        "SELECT t.*, s.code FROM transactions t JOIN transaction_statuses s ON s.id = t.status_id",
    )
    assert (tx["transaction_id"], tx["platform"], tx["code"]) == ("HP16015479281022", "hotmart", "approved")
    assert tx["offer_price"] == Decimal("1500.0000") and tx["currency"] == "BRL"
    assert tx["order_date"] == ms(1511783344000) and tx["approved_at"] == ms(1511783346000)
    assert tx["domain_id"] == shop.domain_id and tx["tracking_source"] == "utm_source|google"
    assert tx["parent_transaction_id"] == "HP02316330308193"  # an order bump of that purchase
    customer = fetch_one(shop.url, "SELECT * FROM customers")
    assert customer["email"] == "testecomprador271101postman15@example.com"
    assert (customer["document"], customer["document_type"], customer["document_valid"]) == (
        "69526128664", "CPF", True)  # fmt: skip
    assert fetch_one(shop.url, "SELECT platform, external_id, name FROM products") == {
        "platform": "hotmart", "external_id": "0", "name": "Produto test postback2"}  # fmt: skip
    offer = fetch_one(shop.url, "SELECT code, price FROM offers")
    assert offer == {"code": "test", "price": Decimal("1500.0000")}
    snapshot = fetch_one(shop.url, "SELECT code, price, coupon_code FROM platform_sale_offer_history")
    assert snapshot == {"code": "test", "price": Decimal("1500.0000"), "coupon_code": "SHHUHA"}
    item = fetch_one(shop.url, "SELECT quantity, unit_price FROM transaction_items")
    assert item == {"quantity": 1, "unit_price": Decimal("1500.0000")}
    commissions = fetch(
        shop.url, "SELECT source, amount, recipient_name FROM platform_commission ORDER BY source"
    )
    assert commissions == [
        {"source": "MARKETPLACE", "amount": Decimal("149.5000"), "recipient_name": None},
        {"source": "PRODUCER", "amount": Decimal("1350.5000"), "recipient_name": "Producer Test Name"},
    ]
    payment = fetch_one(shop.url, "SELECT * FROM platform_transaction_payment_history")
    assert (payment["payment_method"], payment["installments"], payment["value"]) == (
        "credit_card", 12, Decimal("1500.0000"))  # fmt: skip
    assert payment["card_last_digits"] is None  # Hotmart sends none
    utm = fetch_one(shop.url, "SELECT src, sck, xcod, utm_source FROM platform_utm_history")
    assert utm == {"src": None, "sck": "utm_source|google", "xcod": None, "utm_source": None}
    history = fetch_one(shop.url, "SELECT status_detail, occurred_at FROM transaction_status_history")
    assert history == {"status_detail": "APPROVED", "occurred_at": ms(payload["creation_date"])}
    event = fetch_one(shop.url, "SELECT * FROM checkout_events")
    assert (event["dedup_key"], event["event_type"], event["status"]) == (
        payload["id"],
        "PURCHASE_APPROVED",
        "applied",
    )
    stored = json.loads(event["payload"])
    assert "hottok" not in stored and stored["data"]["purchase"]["transaction"] == "HP16015479281022"


def test_kiwify_test_order_in_centavos_and_sao_paulo_time(shop: Shop) -> None:
    answer = shop.kiwify(payloads.kiwify())
    assert answer.status_code == 200, answer.text
    tx = fetch_one(shop.url, "SELECT * FROM transactions")
    assert tx["transaction_id"] == "637e8812-5730-4c4d-9378-c2013c1e2ba5"
    assert tx["offer_price"] == Decimal("52.9800")
    assert tx["order_date"] == dt.datetime(2025, 4, 2, 5, 9, tzinfo=SAO_PAULO)
    assert tx["approved_at"] == dt.datetime(2025, 4, 3, 5, 9, tzinfo=SAO_PAULO)
    customer = fetch_one(shop.url, "SELECT email, phone, document, document_valid FROM customers")
    # Kiwify's sample CPF fails its check digits: kept, flagged.
    assert customer == {"email": "johndoe@example.com", "phone": "50524703593", "document": "54254161570",
                        "document_valid": False}  # fmt: skip
    commissions = fetch(shop.url, "SELECT source, amount FROM platform_commission ORDER BY source")
    assert commissions == [
        {"source": "AFFILIATE", "amount": Decimal("47.1500")},
        {"source": "COPRODUCER", "amount": Decimal("47.1500")},
        {"source": "MARKETPLACE", "amount": Decimal("5.8300")},
        {"source": "PRODUCER", "amount": Decimal("47.1500")},
    ]
    payment = fetch_one(shop.url, "SELECT * FROM platform_transaction_payment_history")
    assert (payment["payment_method"], payment["card_brand"], payment["card_last_digits"]) == (
        "credit_card", "mastercard", "1429")  # fmt: skip
    subscription = fetch_one(shop.url, "SELECT * FROM subscriptions")
    assert subscription["subscription_id"] == "3cb1a1b0-0000-4000-8000-000000000001"
    assert tx["subscription_id"] == subscription["id"] and tx["charge_number"] == 1
    event = fetch_one(shop.url, "SELECT dedup_key, status FROM checkout_events")
    assert event == {"dedup_key": "637e8812-5730-4c4d-9378-c2013c1e2ba5:order_approved", "status": "applied"}


def test_hottok_in_the_body_is_accepted_without_the_header(shop: Shop) -> None:
    payload = payloads.hotmart()
    payload["hottok"] = HOTTOK
    assert shop.hotmart(payload, header=False).status_code == 200
    assert counts(shop.url)["transactions"] == 1
    assert "hottok" not in json.loads(fetch_one(shop.url, "SELECT payload FROM checkout_events")["payload"])


def test_bad_tokens_and_signatures_get_401_store_nothing_and_log_one_line_without_the_body(
    shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="rastro.webhooks")
    payload = payloads.hotmart()
    order = payloads.kiwify()
    body = body_of(order)
    refusals = [
        shop.hotmart(payload, token="not-the-hottok"),
        shop.hotmart(payload, token=None),
        shop.kiwify(order, token="another-token-123"),
        shop.kiwify(order, signature=""),
        shop.kiwify(body.replace(b"5298", b"5299"), signature=kiwify_signature(body)),  # tampered body
        shop.kiwify(order, signature=kiwify_signature(body, KIWIFY_TOKEN).upper()[:-1]),
    ]
    assert [r.status_code for r in refusals] == [401] * 6
    assert refusals[0].json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert all(value == 0 for value in counts(shop.url).values())
    lines = [r.getMessage() for r in caplog.records if r.name == "rastro.webhooks"]
    assert len(lines) == 6 and "hotmart" in lines[0] and "kiwify" in lines[2]  # one line per refusal
    assert not any("HP16015479281022" in line or "not-the-hottok" in line or "5298" in line for line in lines)


def test_inactive_account_is_refused(shop: Shop) -> None:
    assert shop.set_account("HOTMART", HOTTOK, active=False)["account"]["active"] is False
    assert shop.hotmart(payloads.hotmart()).status_code == 401


def test_bodies_that_are_not_the_platforms_json_get_400(shop: Shop) -> None:
    assert shop.hotmart(b"not json").status_code == 400
    assert shop.hotmart({"event": "PURCHASE_APPROVED", "data": {}}).status_code == 400  # no envelope id
    no_transaction = payloads.hotmart()
    del no_transaction["data"]["purchase"]["transaction"]
    answer = shop.hotmart(no_transaction)
    assert answer.status_code == 400 and "data.purchase.transaction" in answer.json()["errors"][0]["message"]
    assert shop.kiwify(b"<xml/>").status_code == 400
    assert shop.kiwify({"order_ref": "JQeAAIM"}).status_code == 400
    assert all(value == 0 for value in counts(shop.url).values())


def test_event_types_rastro_ignores_get_200_and_are_recorded(shop: Shop) -> None:
    club = payloads.hotmart("CLUB_FIRST_ACCESS")
    assert shop.hotmart(club).json()["status"] == "ignored"
    assert shop.kiwify(payloads.kiwify("subscription_canceled")).json()["status"] == "ignored"
    events = fetch(shop.url, "SELECT platform, event_type, status FROM checkout_events ORDER BY id")
    assert events == [
        {"platform": "hotmart", "event_type": "CLUB_FIRST_ACCESS", "status": "ignored"},
        {"platform": "kiwify", "event_type": "subscription_canceled", "status": "ignored"},
    ]
    assert counts(shop.url)["transactions"] == 0


def test_the_same_event_five_times_gives_one_set_of_rows(shop: Shop) -> None:
    hot, kiw = payloads.hotmart(), payloads.kiwify()
    for _ in range(5):
        assert shop.hotmart(hot).status_code == 200
        assert shop.kiwify(kiw).status_code == 200
    assert shop.hotmart(hot).json()["duplicate"] is True
    once = counts(shop.url)
    assert once["checkout_events"] == 2 and once["transactions"] == 2 and once["platform_commission"] == 6
    assert once["platform_transaction_payment_history"] == 2 and once["transaction_status_history"] == 2
    assert fetch(shop.url, "SELECT deliveries FROM checkout_events ORDER BY id") == [
        {"deliveries": 6}, {"deliveries": 5}]  # fmt: skip


def test_a_card_number_inside_a_payload_is_scrubbed_before_it_is_stored(shop: Shop) -> None:
    hot = payloads.hotmart(sckPaymentLink="pago com 4111 1111 1111 1111 ok")
    kiw = payloads.kiwify(card_rejection_reason="card 5555555555554444 declined")
    assert shop.hotmart(hot).status_code == 200
    assert shop.kiwify(kiw).status_code == 200
    stored = " ".join(row["payload"] for row in fetch(shop.url, "SELECT payload::text FROM checkout_events"))
    assert "4111" not in stored and "5555555555554444" not in stored
    assert stored.count("[card number removed]") == 2
    assert "HP16015479281022" in stored and "1511783346000" in stored  # ids and times stay


def test_a_refund_before_its_approval_ends_refunded_as_in_order(shop: Shop) -> None:
    approved = payloads.hotmart("PURCHASE_APPROVED", creation_date=1511783346000)
    refunded = payloads.hotmart("PURCHASE_REFUNDED", creation_date=1511869746000, status="REFUNDED")
    assert shop.hotmart(refunded).status_code == 200
    assert shop.hotmart(approved).status_code == 200
    tx = fetch_one(shop.url, "SELECT s.code, t.status_detail, t.approved_at FROM transactions t "
                             "JOIN transaction_statuses s ON s.id = t.status_id")  # fmt: skip
    assert tx == {"code": "refunded", "status_detail": "REFUNDED", "approved_at": ms(1511783346000)}
    history = fetch(shop.url, "SELECT status_detail FROM transaction_status_history ORDER BY occurred_at")
    assert [h["status_detail"] for h in history] == ["APPROVED", "REFUNDED"]


def test_checkout_accounts_need_an_admin_and_a_known_domain(shop: Shop) -> None:
    import uuid

    unknown = shop.set_account("HOTMART", "another-hottok-123", domain_id=uuid.uuid4())
    assert unknown["errors"][0]["code"] == "NOT_FOUND" and unknown["errors"][0]["field"] == [
        "input",
        "domainId",
    ]
    short = shop.set_account("KIWIFY", "short")
    assert short["errors"][0]["field"] == ["input", "token"]
    tokens = fetch(
        shop.url, "SELECT platform, token_hash, token_sealed FROM checkout_accounts ORDER BY platform"
    )
    assert tokens[0]["token_hash"] is not None and HOTTOK not in tokens[0]["token_hash"]
    assert tokens[1]["token_sealed"] is not None and KIWIFY_TOKEN.encode() not in tokens[1]["token_sealed"]
