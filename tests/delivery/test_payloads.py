"""Each adapter builds its platform's documented payload; the fakes validate what the platforms validate."""

import datetime as dt
import hashlib

from integrations.outbox import ClickIds
from models.enums import Destination
from tests.delivery.arrange import (
    by_platform,
    hours_ago,
    logs,
    make_lead,
    make_site,
    queue_conversions,
    set_account,
    sync_of,
)
from tests.delivery.conftest import drain
from tests.delivery.fakes_fixture import Fakes

PLATFORMS = ("google_ads", "meta", "linkedin", "tiktok")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_conversion_reaches_all_four_platforms_with_each_ones_payload(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    for destination in Destination:
        if destination is not Destination.CRM_WEBHOOK:
            set_account(db_url, site, destination)
    lead = make_lead(db_url, site, email=" Maria.Silva@Gmail.com", phone="+5511987654321")
    sold = hours_ago(24)
    clicked = hours_ago(30)
    clicks = ClickIds(
        gclid="Cj0-gclid", fbclid="IwAR-fbclid", ttclid="E.C.P.tt", li_fat_id="li-1", clicked_at=clicked
    )
    (conversion_id,) = queue_conversions(db_url, lead, clicks=clicks, sold_at=sold, value="1999.90")

    counts = drain(db_url, fakes.config())

    assert counts == {f"{p}:delivered": 1 for p in PLATFORMS}
    rows = by_platform(db_url, conversion_id)
    assert {p: (r["status"], r["attempts"], r["last_error"]) for p, r in rows.items()} == dict.fromkeys(
        PLATFORMS, ("delivered", 1, None)
    )
    assert all(r["delivered_at"] is not None for r in rows.values())
    assert sync_of(db_url, conversion_id) == dict.fromkeys(PLATFORMS, "success")

    dedup = {p: f"{conversion_id}:{p}" for p in PLATFORMS}
    plain_email, plain_phone = "maria.silva@gmail.com", "5511987654321"

    (google,) = fakes.google.batches()
    assert google["destinations"] == [
        {
            "operatingAccount": {"accountType": "GOOGLE_ADS", "accountId": "1234567890"},
            "productDestinationId": "555",
        }
    ]
    assert google["encoding"] == "HEX"
    assert google["events"] == [
        {
            "transactionId": dedup["google_ads"],
            "eventTimestamp": sold.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "conversionValue": 1999.9,
            "currency": "BRL",
            "eventSource": "OTHER",
            "adIdentifiers": {"gclid": "Cj0-gclid"},
            # Google: Gmail dots dropped, phone hashed with its '+'.
            "userData": {
                "userIdentifiers": [
                    {"emailAddress": sha("mariasilva@gmail.com")},
                    {"phoneNumber": sha("+5511987654321")},
                ]
            },
        }
    ]

    (meta,) = fakes.meta.batches()
    assert meta["access_token"] == "test-token"
    assert meta["data"] == [
        {
            "event_name": "Purchase",
            "event_time": int(sold.timestamp()),
            "event_id": dedup["meta"],
            "action_source": "system_generated",
            "user_data": {
                "em": [sha(plain_email)],
                "ph": [sha(plain_phone)],
                "fbc": f"fb.1.{int(clicked.timestamp() * 1000)}.IwAR-fbclid",
            },
            "custom_data": {
                "value": 1999.9,
                "currency": "BRL",
                "event_source": "crm",
                "lead_event_source": "Rastro",
            },
        }
    ]

    (linkedin,) = fakes.linkedin.batches()
    assert linkedin["elements"] == [
        {
            "conversion": "urn:lla:llaPartnerConversion:777",
            "conversionHappenedAt": int(sold.timestamp() * 1000),
            "conversionValue": {"currencyCode": "BRL", "amount": "1999.90"},
            "eventId": dedup["linkedin"],
            "user": {
                "userIds": [
                    {"idType": "SHA256_EMAIL", "idValue": sha(plain_email)},
                    {"idType": "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", "idValue": "li-1"},
                ]
            },
        }
    ]

    (tiktok,) = fakes.tiktok.batches()
    assert (tiktok["event_source"], tiktok["event_source_id"]) == ("crm", "CPIXEL123")
    assert tiktok["data"] == [
        {
            "event": "CompletePayment",
            "event_time": int(sold.timestamp()),
            "event_id": dedup["tiktok"],
            "user": {"email": sha(plain_email), "phone": sha("+5511987654321"), "ttclid": "E.C.P.tt"},
            "properties": {"value": 1999.9, "currency": "BRL"},
        }
    ]

    # One attempt logged per platform: what was sent (hashed only), the answer, its status and duration.
    for platform in PLATFORMS:
        (attempt,) = logs(db_url, conversion_id, platform)
        assert (attempt["sync_status"], attempt["http_status_code"]) == ("success", 200)
        assert attempt["duration_ms"] is not None and attempt["outbox_id"] == rows[platform]["id"]
        logged = str(attempt["request_payload"]).lower()
        assert "maria" not in logged and "987654321" not in logged.replace(sha(plain_phone), "")
    assert logs(db_url, conversion_id, "meta")[0]["request_payload"] == meta["data"][0]
