"""Every event type and payment kind of both platforms, renewals, order bumps, customers and offers, in SQL."""

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from resolvers.checkout import hotmart as hotmart_reader
from tests.checkout import payloads
from tests.checkout.conftest import Shop
from tests.sql import fetch, fetch_one

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
STATUS_OF = """
SELECT t.transaction_id, s.code, t.status_detail FROM transactions t
JOIN transaction_statuses s ON s.id = t.status_id ORDER BY t.transaction_id
"""


def ms(moment: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(moment / 1000, dt.UTC)


def statuses(url: str) -> dict[str, tuple[str, str]]:
    return {r["transaction_id"]: (r["code"], r["status_detail"]) for r in fetch(url, STATUS_OF)}


def test_every_hotmart_purchase_event_sets_its_status(shop: Shop) -> None:
    for event in hotmart_reader.EVENT_STATUS:
        answer = shop.hotmart(payloads.hotmart(event, transaction=f"HP-{event}"))
        assert answer.json()["status"] == "applied", event
    assert statuses(shop.url) == {
        "HP-PURCHASE_APPROVED": ("approved", "APPROVED"),
        "HP-PURCHASE_COMPLETE": ("approved", "COMPLETE"),
        "HP-PURCHASE_PROTEST": ("approved", "PROTEST"),
        "HP-PURCHASE_BILLET_PRINTED": ("waiting_payment", "BILLET_PRINTED"),
        "HP-PURCHASE_DELAYED": ("waiting_payment", "DELAYED"),
        "HP-PURCHASE_CANCELED": ("canceled", "CANCELED"),
        "HP-PURCHASE_EXPIRED": ("expired", "EXPIRED"),
        "HP-PURCHASE_REFUNDED": ("refunded", "REFUNDED"),
        "HP-PURCHASE_CHARGEBACK": ("chargeback", "CHARGEBACK"),
    }
    assert fetch_one(shop.url, "SELECT count(*) AS n FROM customers")["n"] == 1
    # An unpaid boleto has no approval time.
    unpaid = fetch_one(
        shop.url, "SELECT approved_at FROM transactions WHERE transaction_id = 'HP-PURCHASE_BILLET_PRINTED'"
    )
    assert unpaid["approved_at"] is None


def test_every_kiwify_event_type_sets_its_status_or_is_kept(shop: Shop) -> None:
    applied = ["order_approved", "order_rejected", "order_refunded", "chargeback", "billet_created",
               "pix_created", "subscription_renewed"]  # fmt: skip
    kept = ["subscription_canceled", "subscription_late", "carrinho_abandonado"]
    for event in applied + kept:
        answer = shop.kiwify(payloads.kiwify(event, order_id=f"K-{event}", refunded_at="2025-04-05 10:00"))
        assert answer.json()["status"] == ("applied" if event in applied else "ignored"), event
    assert statuses(shop.url) == {
        "K-order_approved": ("approved", "order_approved"),
        "K-order_rejected": ("refused", "order_rejected"),
        "K-order_refunded": ("refunded", "order_refunded"),
        "K-chargeback": ("chargeback", "chargeback"),
        "K-billet_created": ("waiting_payment", "billet_created"),
        "K-pix_created": ("waiting_payment", "pix_created"),
        "K-subscription_renewed": ("approved", "subscription_renewed"),
    }
    refund = fetch_one(shop.url, "SELECT occurred_at FROM transaction_status_history h JOIN transactions t "
                                 "ON t.id = h.transaction_id WHERE t.transaction_id = 'K-order_refunded'")  # fmt: skip
    assert refund["occurred_at"] == dt.datetime(2025, 4, 5, 10, 0, tzinfo=SAO_PAULO)


def payment_of(url: str, transaction: str) -> dict[str, Any]:
    return fetch_one(
        url,
        "SELECT p.* FROM platform_transaction_payment_history p JOIN transactions t ON t.id = p.transaction_id "
        "WHERE t.transaction_id = $1",
        transaction,
    )


def test_pix_boleto_and_card_payments_keep_what_each_needs_and_no_card_number(shop: Shop) -> None:
    pix = {"installments_number": 1, "type": "PIX", "pix_code": "00020101021226900014br.gov.bcb.pix2568pix.adyen.com/x6304 8083",
           "pix_qrcode": "https://pix.example/qr", "pix_expiration_date": 1747620227000}  # fmt: skip
    billet = {"installments_number": 1, "type": "BILLET", "billet_url": "https://boleto.example/123",
              "billet_barcode": "03399.33335 33823.303087 19802.801027 2 87630000015000"}  # fmt: skip
    shop.hotmart(payloads.hotmart("PURCHASE_APPROVED", transaction="HP-PIX", payment=pix))
    shop.hotmart(payloads.hotmart("PURCHASE_BILLET_PRINTED", transaction="HP-BOLETO", payment=billet))
    shop.kiwify(payloads.kiwify("pix_created", order_id="K-PIX", payment_method="pix", card_type=None,
                                card_last4digits=None, pix_code="00020126kiwifypix6304ABCD",
                                pix_expiration="2025-04-02 06:09"))  # fmt: skip
    shop.kiwify(payloads.kiwify("billet_created", order_id="K-BOLETO", payment_method="boleto", card_type=None,
                                card_last4digits=None, boleto_URL="https://kiwify.example/boleto",
                                boleto_barcode="23793381286000782713695000063305975520000370000",
                                boleto_expiry_date="2025-04-05"))  # fmt: skip
    shop.kiwify(payloads.kiwify(order_id="K-CARD"))
    hp_pix = payment_of(shop.url, "HP-PIX")
    assert (hp_pix["payment_method"], hp_pix["pix_code"]) == ("pix", pix["pix_code"])
    assert hp_pix["pix_expires_at"] == ms(1747620227000)
    hp_boleto = payment_of(shop.url, "HP-BOLETO")
    assert (hp_boleto["payment_method"], hp_boleto["bank_slip_barcode"], hp_boleto["bank_slip_url"]) == (
        "boleto", billet["billet_barcode"], "https://boleto.example/123")  # fmt: skip
    k_pix = payment_of(shop.url, "K-PIX")
    assert k_pix["pix_expires_at"] == dt.datetime(2025, 4, 2, 6, 9, tzinfo=SAO_PAULO)
    k_boleto = payment_of(shop.url, "K-BOLETO")
    assert (k_boleto["payment_method"], k_boleto["bank_slip_url"]) == (
        "boleto",
        "https://kiwify.example/boleto",
    )
    assert k_boleto["bank_slip_expires_at"] == dt.datetime(2025, 4, 5, tzinfo=SAO_PAULO)
    card = payment_of(shop.url, "K-CARD")
    assert (card["card_brand"], card["card_last_digits"], card["pix_code"]) == ("mastercard", "1429", None)
    everything = str(fetch(shop.url, "SELECT * FROM platform_transaction_payment_history"))
    assert "265471" not in everything  # the card's first digits in Subscription.charges are not kept


def test_complete_before_approved_ends_as_in_order(shop: Shop) -> None:
    approved = payloads.hotmart("PURCHASE_APPROVED", creation_date=1511783346000, transaction="HP-A")
    complete = payloads.hotmart("PURCHASE_COMPLETE", creation_date=1514375346000, transaction="HP-A")
    in_order = [payloads.hotmart(e["event"], creation_date=e["creation_date"], transaction="HP-B")
                for e in (approved, complete)]  # fmt: skip
    for payload in (complete, approved, *in_order):
        assert shop.hotmart(payload).status_code == 200
    rows = fetch(shop.url, "SELECT transaction_id, status_id, status_detail, status_at, approved_at, offer_price "
                           "FROM transactions ORDER BY transaction_id")  # fmt: skip
    assert {k: v for k, v in rows[0].items() if k != "transaction_id"} == {
        k: v for k, v in rows[1].items() if k != "transaction_id"}  # fmt: skip
    assert rows[0]["status_detail"] == "COMPLETE" and rows[0]["status_at"] == ms(1514375346000)
    history = fetch(shop.url, "SELECT count(*) AS n FROM transaction_status_history GROUP BY transaction_id")
    assert history == [{"n": 2}, {"n": 2}]


def test_a_chargeback_after_a_refund_and_late_older_events_keep_the_highest_state(shop: Shop) -> None:
    sequence = [("PURCHASE_CHARGEBACK", 30), ("PURCHASE_APPROVED", 10), ("PURCHASE_REFUNDED", 20),
                ("PURCHASE_BILLET_PRINTED", 5)]  # fmt: skip
    for event, day in sequence:
        shop.hotmart(
            payloads.hotmart(event, creation_date=1700000000000 + day * 86_400_000, transaction="HP-C")
        )
    assert statuses(shop.url) == {"HP-C": ("chargeback", "CHARGEBACK")}
    assert fetch_one(shop.url, "SELECT count(*) AS n FROM transaction_status_history")["n"] == 4


def test_a_kiwify_renewal_is_a_new_transaction_of_the_same_subscription(shop: Shop) -> None:
    first = payloads.kiwify()
    renewal = payloads.kiwify("subscription_renewed", order_id="9a0e-renewal", created_at="2025-04-09 05:09",
                              approved_date="2025-04-09 05:10")  # fmt: skip
    renewal["Subscription"]["charges"]["completed"].append(
        {"order_id": "9a0e-renewal", "amount": 4715, "status": "paid"}
    )
    shop.kiwify(first)
    shop.kiwify(renewal)
    rows = fetch(shop.url, "SELECT t.transaction_id, t.subscription_id, t.charge_number, p.payment_type "
                           "FROM transactions t JOIN platform_transaction_payment_history p ON p.transaction_id = t.id "
                           "ORDER BY t.charge_number")  # fmt: skip
    subscription = fetch_one(shop.url, "SELECT id, plan_name, status FROM subscriptions")
    assert subscription["plan_name"] == "Example plan" and subscription["status"] == "active"
    assert [
        (r["transaction_id"], r["subscription_id"], r["charge_number"], r["payment_type"]) for r in rows
    ] == [
        ("637e8812-5730-4c4d-9378-c2013c1e2ba5", subscription["id"], 1, "subscription"),
        ("9a0e-renewal", subscription["id"], 2, "recurring"),
    ]


def test_a_hotmart_order_bump_is_its_own_transaction_linked_to_the_main_purchase(shop: Shop) -> None:
    main = payloads.hotmart(transaction="HP02316330308193", order_bump={"is_order_bump": False})
    bump = payloads.hotmart()  # the test postback is a bump of HP02316330308193
    bump["data"]["product"].update(id=77, name="Bônus")
    bump["data"]["purchase"]["price"]["value"] = 47
    shop.hotmart(bump)
    shop.hotmart(main)
    rows = fetch(shop.url, "SELECT t.transaction_id, t.parent_transaction_id, i.unit_price, p.external_id "
                           "FROM transactions t JOIN transaction_items i ON i.transaction_id = t.id "
                           "JOIN products p ON p.id = i.product_id ORDER BY t.transaction_id")  # fmt: skip
    assert rows == [
        {
            "transaction_id": "HP02316330308193",
            "parent_transaction_id": None,
            "unit_price": Decimal("1500.0000"),
            "external_id": "0",
        },
        {
            "transaction_id": "HP16015479281022",
            "parent_transaction_id": "HP02316330308193",
            "unit_price": Decimal("47.0000"),
            "external_id": "77",
        },
    ]


def test_customers_are_matched_by_email_hash_then_by_document(shop: Shop) -> None:
    first = payloads.hotmart(transaction="HP-1")
    first["data"]["buyer"]["email"] = "  Maria.Silva@Example.com "
    same_email = payloads.hotmart(transaction="HP-2")
    same_email["data"]["buyer"]["email"] = "maria.silva@example.com"
    same_document = payloads.hotmart(transaction="HP-3")
    same_document["data"]["buyer"]["email"] = "maria.trabalho@example.com"
    company = payloads.hotmart(transaction="HP-4")
    company["data"]["buyer"].update(
        email="compras@empresa.example", document="12.ABC.345/01DE-35", document_type="CNPJ"
    )
    for payload in (first, same_email, same_document, company):
        assert shop.hotmart(payload).status_code == 200
    customers = fetch(
        shop.url, "SELECT email, document, document_type, document_valid FROM customers ORDER BY id"
    )
    assert customers == [
        {
            "email": "maria.silva@example.com",
            "document": "69526128664",
            "document_type": "CPF",
            "document_valid": True,
        },
        {
            "email": "compras@empresa.example",
            "document": "12ABC34501DE35",
            "document_type": "CNPJ",
            "document_valid": True,
        },
    ]
    per_customer = fetch(
        shop.url, "SELECT customer_id, count(*) AS n FROM transactions GROUP BY 1 ORDER BY 1"
    )
    assert [r["n"] for r in per_customer] == [3, 1]


def test_a_price_change_updates_the_offer_and_makes_a_new_snapshot(shop: Shop) -> None:
    for transaction, price in (("HP-1", 1500), ("HP-2", 1500), ("HP-3", 1297)):
        payload = payloads.hotmart(
            transaction=transaction, original_offer_price={"value": price, "currency_value": "BRL"}
        )
        shop.hotmart(payload)
    assert fetch_one(shop.url, "SELECT price FROM offers")["price"] == Decimal("1297.0000")
    snapshots = fetch(shop.url, "SELECT DISTINCT price FROM platform_sale_offer_history ORDER BY price")
    assert [s["price"] for s in snapshots] == [Decimal("1297.0000"), Decimal("1500.0000")]


def test_affiliate_and_coproducer_commissions(shop: Shop) -> None:
    payload = payloads.hotmart()
    payload["data"]["commissions"] += [{"value": 300, "source": "AFFILIATE", "currency_value": "BRL"},
                                       {"value": 200.25, "source": "COPRODUCER", "currency_value": "BRL"},
                                       {"value": 10, "source": "ADDON", "currency_value": "BRL"}]  # fmt: skip
    shop.hotmart(payload)
    rows = fetch(shop.url, "SELECT source, amount, recipient_name FROM platform_commission ORDER BY source")
    assert [(r["source"], r["amount"], r["recipient_name"]) for r in rows] == [
        ("AFFILIATE", Decimal("300.0000"), "Affiliate name"),
        ("COPRODUCER", Decimal("200.2500"), None),
        ("MARKETPLACE", Decimal("149.5000"), None),
        ("PRODUCER", Decimal("1350.5000"), "Producer Test Name"),
    ]


def test_kiwify_utm_history_from_tracking_parameters(shop: Shop) -> None:
    tracking = {"src": "bio", "sck": "lead-42", "utm_source": "facebook", "utm_medium": "cpc",
                "utm_campaign": "black-friday", "utm_content": "video-1", "utm_term": None}  # fmt: skip
    shop.kiwify(payloads.kiwify(TrackingParameters=tracking))
    shop.kiwify(
        payloads.kiwify("order_refunded", TrackingParameters=tracking, refunded_at="2025-04-04 09:00")
    )
    utm = fetch_one(
        shop.url,
        "SELECT utm_source, utm_medium, utm_campaign, utm_content, utm_term, src, sck FROM platform_utm_history",
    )
    assert utm == {"utm_source": "facebook", "utm_medium": "cpc", "utm_campaign": "black-friday",
                   "utm_content": "video-1", "utm_term": None, "src": "bio", "sck": "lead-42"}  # fmt: skip
    assert fetch_one(shop.url, "SELECT tracking_source FROM transactions")["tracking_source"] == "bio"
