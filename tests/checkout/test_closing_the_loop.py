"""From a tracked lead to the outbox: a paid purchase becomes the lead's conversion, a refund adjusts it."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.checkout import payloads
from tests.checkout.conftest import Shop, make_domain
from tests.conftest import KeyMaker
from tests.ingest.tracking import CAPTURE_LEAD, visit
from tests.mutations.graphql import send
from tests.sql import fetch, fetch_one

ADS = "utm_source=google&utm_medium=cpc&utm_campaign=curso&gclid=Cj0-click&fbclid=IwAR-click"
APPROVED_AT = 1511783346000


def tracked_lead(shop: Shop, make_key: KeyMaker, email: str = "Comprador@Example.com") -> str:
    """A visitor from an ad who leaves their e-mail on the domain's landing page (trackVisit, captureLead)."""
    with shop.server.client(make_key("ingest")) as client:
        first = visit(client, {"url": f"https://loja.example.com.br/oferta?{ADS}", "visitorId": "v-buyer"})
        session_id = first["session"]["sessionId"]
        lead = send(client, CAPTURE_LEAD, {"sessionId": session_id, "email": email, "phone": "(11) 98765-4321",
                                           "name": "Comprador", "adConsent": True})  # fmt: skip
    assert lead["errors"] == [], lead
    return str(lead["lead"]["leadId"])


def purchase(event: str = "PURCHASE_APPROVED", day: int = 0, **purchase: Any) -> dict[str, Any]:
    payload = payloads.hotmart(event, creation_date=APPROVED_AT + day * 86_400_000, **purchase)
    payload["data"]["buyer"]["email"] = "comprador@example.com"
    return payload


def outbox(url: str) -> list[tuple[str, str]]:
    rows = fetch(url, "SELECT platform, kind FROM conversion_outbox ORDER BY kind, platform")
    return [(r["platform"], r["kind"]) for r in rows]


def test_an_approved_purchase_of_a_tracked_lead_is_registered_once_as_its_conversion(
    shop: Shop, make_key: KeyMaker
) -> None:
    lead_id = tracked_lead(shop, make_key)
    for payload in (purchase(), purchase("PURCHASE_COMPLETE", day=30)):
        for _ in range(3):  # the platform's retries
            assert shop.hotmart(payload).status_code == 200
    conversion = fetch_one(shop.url, "SELECT * FROM offline_conversions")
    assert str(conversion["lead_id"]) == lead_id and conversion["conversion_name"] == "purchase"
    assert conversion["conversion_value"] == Decimal("1500.00") and conversion["conversion_currency"] == "BRL"
    assert conversion["conversion_date"] == dt.datetime.fromtimestamp(APPROVED_AT / 1000, dt.UTC)
    assert (conversion["gclid"], conversion["fbclid"]) == ("Cj0-click", "IwAR-click")
    tx = fetch_one(shop.url, "SELECT offline_conversion_id FROM transactions")
    assert tx["offline_conversion_id"] == conversion["conversion_id"]
    assert outbox(shop.url) == [("google_ads", "conversion"), ("linkedin", "conversion"),
                                ("meta", "conversion"), ("tiktok", "conversion")]  # fmt: skip
    stage = fetch_one(
        shop.url, "SELECT stage_name, changed_by FROM lead_stages ORDER BY recorded_seq DESC LIMIT 1"
    )
    assert stage == {"stage_name": "won", "changed_by": "hotmart checkout"}


def adjustments(url: str) -> list[tuple[str, str, str]]:
    rows = fetch(url, "SELECT platform, reason, action FROM conversion_adjustments ORDER BY platform")
    return [(r["platform"], r["reason"], r["action"]) for r in rows]


@pytest.mark.parametrize("refund_first", [False, True], ids=["in order", "refund before approval"])
def test_a_refund_retracts_on_google_and_is_recorded_for_the_others_once(
    shop: Shop, make_key: KeyMaker, refund_first: bool
) -> None:
    tracked_lead(shop, make_key)
    events = [purchase(), purchase("PURCHASE_REFUNDED", day=3), purchase("PURCHASE_CHARGEBACK", day=9)]
    for payload in reversed(events[:2]) if refund_first else events[:2]:
        assert shop.hotmart(payload).status_code == 200
    assert adjustments(shop.url) == [("google_ads", "refund", "retraction"), ("linkedin", "refund", "recorded"),
                                     ("meta", "refund", "recorded"), ("tiktok", "refund", "recorded")]  # fmt: skip
    shop.hotmart(events[2])  # a chargeback after the refund changes nothing more
    assert fetch_one(shop.url, "SELECT count(*) AS n FROM offline_conversions")["n"] == 1
    assert outbox(shop.url) == [("google_ads", "conversion"), ("linkedin", "conversion"), ("meta", "conversion"),
                                ("tiktok", "conversion"), ("google_ads", "retraction")]  # fmt: skip
    retraction = fetch_one(shop.url, "SELECT payload FROM conversion_outbox WHERE kind = 'retraction'")
    assert '"reason": "refund"' in retraction["payload"]
    assert len(adjustments(shop.url)) == 4


def test_a_purchase_without_a_lead_keeps_its_own_utm_history_and_sends_nothing(
    shop: Shop, make_key: KeyMaker
) -> None:
    tracked_lead(shop, make_key, email="someone.else@example.com")
    assert (
        shop.hotmart(purchase(origin={"src": "instagram", "sck": "bio-link", "xcod": None})).status_code
        == 200
    )
    assert fetch_one(shop.url, "SELECT count(*) AS n FROM offline_conversions")["n"] == 0
    assert outbox(shop.url) == []
    tx = fetch_one(shop.url, "SELECT offline_conversion_id, tracking_source FROM transactions")
    assert tx == {"offline_conversion_id": None, "tracking_source": "instagram"}
    assert fetch_one(shop.url, "SELECT src, sck FROM platform_utm_history") == {
        "src": "instagram",
        "sck": "bio-link",
    }


def test_an_unpaid_boleto_is_no_conversion_until_it_is_paid(shop: Shop, make_key: KeyMaker) -> None:
    tracked_lead(shop, make_key)
    shop.hotmart(purchase("PURCHASE_BILLET_PRINTED", approved_date=None))
    assert outbox(shop.url) == []
    shop.hotmart(purchase("PURCHASE_APPROVED", day=2))
    assert len(outbox(shop.url)) == 4


def test_a_second_purchase_of_the_same_lead_is_not_a_second_conversion(
    shop: Shop, make_key: KeyMaker
) -> None:
    tracked_lead(shop, make_key)
    shop.hotmart(purchase(transaction="HP-FIRST"))
    second = purchase(transaction="HP-SECOND", day=40)
    second["data"]["purchase"]["price"]["value"] = 97
    assert shop.hotmart(second).json()["status"] == "applied"
    linked = fetch(
        shop.url,
        "SELECT transaction_id, offline_conversion_id IS NOT NULL AS converted FROM transactions ORDER BY 1",
    )
    assert linked == [
        {"transaction_id": "HP-FIRST", "converted": True},
        {"transaction_id": "HP-SECOND", "converted": False},
    ]
    assert len(outbox(shop.url)) == 4


def test_a_lead_of_another_domain_with_the_same_email_is_not_this_shops_buyer(
    shop: Shop, make_key: KeyMaker, db_url: str
) -> None:
    other = make_domain(db_url, "outra.example.com.br")
    with shop.server.client(make_key("ingest")) as client:
        first = visit(client, {"url": f"https://outra.example.com.br/?{ADS}", "visitorId": "v-other"})
        send(
            client,
            CAPTURE_LEAD,
            {"sessionId": first["session"]["sessionId"], "email": "comprador@example.com"},
        )
    assert other is not None
    shop.hotmart(purchase())
    assert outbox(shop.url) == []
