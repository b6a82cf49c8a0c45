"""registerOfflineConversion: conversion, won stage and outbox rows in one transaction, once."""

import datetime as dt
import hashlib
import json
import logging
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import KeyMaker, key_maker
from tests.live import LiveServer
from tests.mutations.conftest import SharedServer
from tests.mutations.db import count, execute, fetch, fetch_one, open_leads, set_click_ids
from tests.mutations.graphql import CHANGE_LEAD_STAGE, REGISTER_OFFLINE_CONVERSION, body, only_error, send

PLATFORMS = ("google_ads", "linkedin", "meta", "tiktok")
CONVERSION = "SELECT * FROM offline_conversions WHERE conversion_id = $1"
OUTBOX = "SELECT * FROM conversion_outbox WHERE conversion_id = $1 ORDER BY platform"
LATEST_STAGE = (
    "SELECT * FROM lead_stages WHERE lead_id = $1 ORDER BY created_at DESC, recorded_seq DESC LIMIT 1"
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def google_form(email: str) -> str:
    """Google's pre-image: trimmed, lowercased, and without the dots of a Gmail local part."""
    local, domain = email.strip().lower().split("@")
    return (
        f"{local.replace('.', '')}@{domain}"
        if domain in ("gmail.com", "googlemail.com")
        else f"{local}@{domain}"
    )


def sale(lead_id: Any, **fields: Any) -> dict[str, Any]:
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(microsecond=0)
    return {"leadId": str(lead_id), "value": "1500.00", "conversionDate": when.isoformat(), **fields}


def counts(url: str, lead_id: Any) -> dict[str, int]:
    """Rows about the lead in every table a registration writes."""
    return {
        table: count(url, table, lead_id)
        for table in ("offline_conversions", "lead_stages", "conversion_outbox")
    }


def test_a_sale_gets_the_click_ids_a_won_stage_and_one_outbox_row_per_platform(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead = open_leads(seeded_db_url)[0]
    set_click_ids(
        seeded_db_url, lead["utm_tracking_id"], gclid="G-1", gbraid="GB-1", fbclid="FB-1", li_fat_id="LI-1"
    )
    person = fetch_one(
        seeded_db_url,
        "SELECT email, hashed_email, phone, hashed_phone FROM leads WHERE lead_id = $1",
        lead["lead_id"],
    )
    request = sale(lead["lead_id"], changedBy="hubspot-bridge")
    with seeded_server.client(make_seeded_key("connector")) as client:
        result = send(client, REGISTER_OFFLINE_CONVERSION, request)
    assert result["errors"] == [] and result["created"] is True
    conversion = fetch_one(seeded_db_url, CONVERSION, result["conversion"]["conversionId"])
    clicks = {key: conversion[key] for key in ("gclid", "gbraid", "wbraid", "fbclid", "ttclid", "li_fat_id")}
    assert clicks == {
        "gclid": "G-1",
        "gbraid": "GB-1",
        "wbraid": None,
        "fbclid": "FB-1",
        "ttclid": None,
        "li_fat_id": "LI-1",
    }
    assert conversion["original_tracking_id"] == lead["utm_tracking_id"]
    assert (
        conversion["conversion_name"],
        conversion["conversion_value"],
        conversion["conversion_currency"],
    ) == ("purchase", Decimal("1500.00"), "BRL")
    assert json.loads(conversion["sync_status"]) == dict.fromkeys(PLATFORMS, "pending")

    won = fetch_one(seeded_db_url, LATEST_STAGE, lead["lead_id"])
    assert (won["stage_name"], won["stage_value"], won["probability"], won["changed_by"]) == (
        "won",
        Decimal("1500.00"),
        100,
        "hubspot-bridge",
    )
    assert won["created_at"] == dt.datetime.fromisoformat(request["conversionDate"])

    outbox = fetch(seeded_db_url, OUTBOX, conversion["conversion_id"])
    assert [row["platform"] for row in outbox] == list(PLATFORMS)
    for row in outbox:
        assert row["dedup_key"] == f"{conversion['conversion_id']}:{row['platform']}"
        assert (row["status"], row["attempts"], row["last_error"], row["delivered_at"]) == (
            "pending",
            0,
            None,
            None,
        )
    payloads = {row["platform"]: json.loads(row["payload"]) for row in outbox}
    # Each platform's pre-image of the one stored E.164 phone: Meta without '+', Google and TikTok with it.
    email, phone = person["hashed_email"], person["hashed_phone"]
    assert person["phone"].startswith("+") and phone == sha256(person["phone"][1:])
    google_email = sha256(google_form(person["email"]))
    with_plus = sha256(person["phone"])
    assert payloads["google_ads"]["identifiers"] == {
        "gclid": "G-1",
        "gbraid": "GB-1",
        "hashed_email": google_email,
        "hashed_phone": with_plus,
    }
    assert payloads["meta"]["identifiers"] == {"fbclid": "FB-1", "hashed_email": email, "hashed_phone": phone}
    assert payloads["linkedin"]["identifiers"] == {"li_fat_id": "LI-1", "hashed_email": email}
    assert payloads["tiktok"]["identifiers"] == {"hashed_email": email, "hashed_phone": with_plus}
    meta = payloads["meta"]
    assert (meta["conversion_name"], meta["value"], meta["currency"]) == ("purchase", "1500.00", "BRL")
    assert dt.datetime.fromisoformat(meta["conversion_time"]) == dt.datetime.fromisoformat(
        request["conversionDate"]
    )
    assert meta["click_time"] is not None


def test_platforms_without_an_identifier_are_not_applicable_and_get_no_outbox_row(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead = open_leads(seeded_db_url)[0]
    set_click_ids(seeded_db_url, lead["utm_tracking_id"], wbraid="WB-1")
    execute(
        seeded_db_url,
        "UPDATE leads SET email = NULL, hashed_email = NULL, phone = NULL, hashed_phone = NULL WHERE lead_id = $1",
        lead["lead_id"],
    )
    with seeded_server.client(make_seeded_key("connector")) as client:
        result = send(client, REGISTER_OFFLINE_CONVERSION, sale(lead["lead_id"]))
    conversion = fetch_one(seeded_db_url, CONVERSION, result["conversion"]["conversionId"])
    assert conversion["wbraid"] == "WB-1"
    assert json.loads(conversion["sync_status"]) == {
        "google_ads": "pending",
        "meta": "not_applicable",
        "linkedin": "not_applicable",
        "tiktok": "not_applicable",
    }
    outbox = fetch(seeded_db_url, OUTBOX, conversion["conversion_id"])
    assert [row["platform"] for row in outbox] == ["google_ads"]


def test_repeating_a_registration_returns_the_same_conversion_and_writes_nothing(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    request = sale(lead_id, value="99.9")
    with seeded_server.client(make_seeded_key("connector")) as client:
        first = send(client, REGISTER_OFFLINE_CONVERSION, request)
        written = counts(seeded_db_url, lead_id)
        again = send(client, REGISTER_OFFLINE_CONVERSION, {**request, "value": "99.90", "markWon": False})
    assert first["created"] is True
    assert again == {"created": False, "conversion": first["conversion"], "errors": []}
    assert counts(seeded_db_url, lead_id) == written


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": "1500.01"}, ["input", "value"]),
        ({"conversionDate": "2024-01-01T00:00:00-03:00"}, ["input", "conversionDate"]),
        ({"currency": "USD"}, ["input", "currency"]),
    ],
    ids=["other value", "other date", "other currency"],
)
def test_the_same_name_with_other_figures_is_a_conflict_and_changes_nothing(
    seeded_server: LiveServer,
    seeded_db_url: str,
    make_seeded_key: KeyMaker,
    change: dict[str, Any],
    field: list[str],
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    request = sale(lead_id)
    with seeded_server.client(make_seeded_key("connector")) as client:
        first = send(client, REGISTER_OFFLINE_CONVERSION, request)
        stored = fetch_one(seeded_db_url, CONVERSION, first["conversion"]["conversionId"])
        written = counts(seeded_db_url, lead_id)
        clash = send(client, REGISTER_OFFLINE_CONVERSION, {**request, **change})
    assert only_error(clash) == ("CONFLICT", field)
    assert clash["conversion"] is None and clash["created"] is False
    assert fetch_one(seeded_db_url, CONVERSION, first["conversion"]["conversionId"]) == stored
    assert counts(seeded_db_url, lead_id) == written


def test_mark_won_false_leaves_the_stages_alone(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    stages = count(seeded_db_url, "lead_stages", lead_id)
    with seeded_server.client(make_seeded_key("admin")) as client:
        result = send(
            client, REGISTER_OFFLINE_CONVERSION, sale(lead_id, markWon=False, conversionName="renewal")
        )
    assert result["created"] is True
    assert count(seeded_db_url, "lead_stages", lead_id) == stages


def test_a_sale_marks_a_lost_lead_won(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    two_hours_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).isoformat()
    with seeded_server.client(make_seeded_key("connector")) as client:
        send(
            client, CHANGE_LEAD_STAGE, {"leadId": str(lead_id), "stage": "lost", "occurredAt": two_hours_ago}
        )
        result = send(client, REGISTER_OFFLINE_CONVERSION, sale(lead_id))
    assert result["created"] is True
    assert fetch_one(seeded_db_url, LATEST_STAGE, lead_id)["stage_name"] == "won"


FAIL_OUTBOX = """
CREATE FUNCTION test_fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'outbox down, row was %', NEW.payload; END $$;
CREATE TRIGGER test_fail_outbox BEFORE INSERT ON conversion_outbox
    FOR EACH ROW EXECUTE FUNCTION test_fail_outbox();
"""


def test_a_failing_outbox_insert_leaves_nothing_written_and_is_masked(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker, caplog: pytest.LogCaptureFixture
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    hashed_email = fetch_one(seeded_db_url, "SELECT hashed_email FROM leads WHERE lead_id = $1", lead_id)[
        "hashed_email"
    ]
    written = counts(seeded_db_url, lead_id)
    execute(seeded_db_url, FAIL_OUTBOX)
    with caplog.at_level(logging.ERROR), seeded_server.client(make_seeded_key("connector")) as client:
        response = client.post("/graphql", json=body(REGISTER_OFFLINE_CONVERSION, sale(lead_id)))
    answer = response.json()
    assert answer.get("data") is None
    assert [error["message"] for error in answer["errors"]] == ["Internal error: it was logged"]
    assert counts(seeded_db_url, lead_id) == written  # no conversion, no won stage, no outbox row
    assert "registerOfflineConversion rolled back" in caplog.text
    assert (
        hashed_email not in caplog.text and "outbox down" not in caplog.text
    )  # the database's message quoted data

    execute(seeded_db_url, "DROP TRIGGER test_fail_outbox ON conversion_outbox")
    with seeded_server.client(make_seeded_key("connector")) as client:
        assert send(client, REGISTER_OFFLINE_CONVERSION, sale(lead_id))["created"] is True


INVALID_SALES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("negative value", {"value": "-1"}, ["input", "value"]),
    ("fractions of a cent", {"value": "0.001"}, ["input", "value"]),
    ("value too large", {"value": "10000000000000"}, ["input", "value"]),
    ("currency not ISO 4217", {"currency": "R$1"}, ["input", "currency"]),
    ("blank conversion name", {"conversionName": " "}, ["input", "conversionName"]),
    ("date in the future", {"conversionDate": "2999-01-01T00:00:00Z"}, ["input", "conversionDate"]),
    ("blank changedBy", {"changedBy": ""}, ["input", "changedBy"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"), [case[1:] for case in INVALID_SALES], ids=[case[0] for case in INVALID_SALES]
)
def test_each_invalid_value_comes_back_with_its_field(
    shared_server: SharedServer, change: dict[str, Any], field: list[str]
) -> None:
    lead_id = open_leads(shared_server.url)[0]["lead_id"]
    written = counts(shared_server.url, lead_id)
    with shared_server.live.client(shared_server.connector_key) as client:
        result = send(client, REGISTER_OFFLINE_CONVERSION, {**sale(lead_id), **change})
    assert only_error(result) == ("INVALID", field)
    assert counts(shared_server.url, lead_id) == written


def test_an_unknown_lead_is_not_found(shared_server: SharedServer) -> None:
    with shared_server.live.client(shared_server.connector_key) as client:
        result = send(client, REGISTER_OFFLINE_CONVERSION, sale("00000000-0000-0000-0000-000000000000"))
    assert only_error(result) == ("NOT_FOUND", ["input", "leadId"])


# Ingest keys never reach a mutation other than tracking: tests/server/test_public_requests.py.
@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_roles_other_than_connector_and_admin_are_forbidden(shared_server: SharedServer, role: str) -> None:
    lead_id = open_leads(shared_server.url)[0]["lead_id"]
    written = counts(shared_server.url, lead_id)
    with shared_server.live.client(key_maker(shared_server.url)(role)) as client:
        result = send(client, REGISTER_OFFLINE_CONVERSION, sale(lead_id))
    assert only_error(result) == ("FORBIDDEN", None)
    assert counts(shared_server.url, lead_id) == written
