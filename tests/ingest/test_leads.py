"""captureLead (scenario 2): the lead from its session and first capture, converted, staged, sent to the CRM."""

import hashlib
import json
from typing import Any

import httpx
import pytest

from tests.conftest import KeyMaker
from tests.ingest.tracking import CAPTURE_LEAD, Site, counts, visit
from tests.live import LiveServer
from tests.mutations.graphql import REGISTER_OFFLINE_CONVERSION, only_error, send
from tests.sql import execute, fetch, fetch_one

UTMS = "utm_source=google&utm_medium=cpc&utm_campaign=black-friday&gclid=Cj0-first"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def journey_of(client: httpx.Client, site: Site) -> dict[str, Any]:
    """A visitor who came from an ad, saw two pages, then a third with other UTM content."""
    first = visit(client, {"url": site.url("/oferta", UTMS), "visitorId": "v-1"})
    visit(client, {"url": site.url("/precos"), "visitorId": "v-1"})
    visit(client, {"url": site.url("/contato", UTMS + "&utm_content=footer"), "visitorId": "v-1"})
    return first


def capture(client: httpx.Client, session_id: str, **fields: Any) -> dict[str, Any]:
    return send(client, CAPTURE_LEAD, {"sessionId": session_id, **fields})


def test_a_lead_is_made_from_its_session_as_scenario_2_says(
    ingest: httpx.Client, site: Site, db_url: str
) -> None:
    first = journey_of(ingest, site)
    session_id = first["session"]["sessionId"]
    execute(db_url, "UPDATE sessions SET started_at = now() - interval '10 minutes'")

    result = capture(
        ingest, session_id, email="  Maria.Silva@Empresa.COM.br ", phone="(11) 98765-4321",
        name=" Maria Silva ", company="Empresa", adConsent=True,
    )  # fmt: skip

    assert result["errors"] == [] and result["lead"]["created"] is True
    lead = fetch_one(db_url, "SELECT * FROM leads")
    assert str(lead["lead_id"]) == result["lead"]["leadId"]
    assert (lead["email"], lead["hashed_email"]) == (
        "maria.silva@empresa.com.br",
        sha256("maria.silva@empresa.com.br"),
    )
    assert (lead["phone"], lead["hashed_phone"]) == ("+5511987654321", sha256("5511987654321"))
    assert (lead["name"], lead["company"], lead["email_domain"]) == (
        "Maria Silva",
        "Empresa",
        "empresa.com.br",
    )
    assert lead["is_business_email"] is True
    first_capture = fetch_one(db_url, "SELECT tracking_id FROM utm_tracking ORDER BY created_at LIMIT 1")
    assert lead["utm_tracking_id"] == first_capture["tracking_id"]
    assert 600 <= lead["time_to_conversion"] < 660
    contact = fetch_one(db_url, "SELECT page_id FROM landing_pages WHERE page_url = '/contato'")
    assert lead["page_id"] == contact["page_id"]  # the last page viewed
    assert json.loads(lead["metadata"]) == {"consent": {"adPlatforms": True}}
    assert fetch_one(db_url, "SELECT converted FROM sessions")["converted"] is True
    journey = fetch_one(db_url, "SELECT converted, conversion_session_id FROM visitor_journeys")
    assert journey == {"converted": True, "conversion_session_id": session_id}
    stage = fetch_one(db_url, "SELECT stage_name, changed_by, lead_id FROM lead_stages")
    assert stage == {"stage_name": "new", "changed_by": "system", "lead_id": lead["lead_id"]}
    assert counts(db_url)["leads"] == 1
    assert fetch(db_url, "SELECT * FROM integrations_log") == []  # no CRM webhook configured


def test_free_mail_is_not_business_and_a_phone_alone_will_do(
    ingest: httpx.Client, site: Site, db_url: str
) -> None:
    one = visit(ingest, {"url": site.url(), "visitorId": "v-1"})["session"]["sessionId"]
    two = visit(ingest, {"url": site.url(), "visitorId": "v-2"})["session"]["sessionId"]
    capture(ingest, one, email="joao@uol.com.br")
    capture(ingest, two, phone="+1 415 555 2671")
    leads = {r["session_id"]: r for r in fetch(db_url, "SELECT * FROM leads")}
    assert leads[one]["is_business_email"] is False
    assert (leads[two]["phone"], leads[two]["email"], leads[two]["is_business_email"]) == (
        "+14155552671",
        None,
        False,
    )


def test_the_domains_crm_webhook_gets_a_queued_row_in_the_lead_transaction(
    ingest: httpx.Client, site: Site, db_url: str
) -> None:
    execute(
        db_url,
        "INSERT INTO delivery_accounts (domain_id, destination, name, settings)"
        " VALUES ($1, 'crm_webhook', 'hubspot', '{\"url\": \"https://crm.example/hook\"}')",
        site.domain_id,
    )
    session_id = journey_of(ingest, site)["session"]["sessionId"]
    result = capture(ingest, session_id, email="ana@empresa.com.br", name="Ana")

    row = fetch_one(db_url, "SELECT * FROM integrations_log")
    assert (str(row["lead_id"]), row["integration_type"], row["integration_name"]) == (
        result["lead"]["leadId"], "webhook", "hubspot",
    )  # fmt: skip
    assert (row["status"], row["retry_count"], row["next_attempt_at"]) == ("pending", 0, None)
    data = json.loads(row["request_data"])
    assert data["event"] == "lead.created"
    assert data["lead"]["leadId"] == result["lead"]["leadId"]
    assert (data["lead"]["email"], data["lead"]["name"], data["lead"]["sessionId"]) == (
        "ana@empresa.com.br",
        "Ana",
        session_id,
    )
    assert data["lead"]["utm"] == {
        "source": "google",
        "medium": "cpc",
        "campaign": "black-friday",
        "gclid": "Cj0-first",
    }


def test_a_retried_submit_returns_the_same_lead(ingest: httpx.Client, site: Site, db_url: str) -> None:
    session_id = journey_of(ingest, site)["session"]["sessionId"]
    first = capture(ingest, session_id, email="ana@empresa.com.br")
    same_email = capture(ingest, session_id, email=" ANA@empresa.com.br")
    keyed = capture(ingest, session_id, phone="11987654321", idempotencyKey="form-1")
    same_key = capture(
        ingest, session_id, phone="11987654321", email="outra@empresa.com.br", idempotencyKey="form-1"
    )
    other = capture(ingest, session_id, email="bia@empresa.com.br")

    assert same_email["lead"] == {**first["lead"], "created": False}
    assert same_key["lead"] == {**keyed["lead"], "created": False}
    assert other["lead"]["created"] is True
    assert len({r["lead"]["leadId"] for r in (first, keyed, other)}) == 3
    assert counts(db_url)["leads"] == 3
    assert fetch_one(db_url, "SELECT count(*) AS n FROM lead_stages")["n"] == 3


# Lengths and e-mail shapes are refused before any mutation runs: tests/server/test_text_limits.py, test_emails.py.
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"phone": "123"}, ["input", "phone"]),
        ({"phone": "call me"}, ["input", "phone"]),
        ({"name": "Maria"}, ["input", "email"]),  # neither e-mail nor phone
        ({"email": "a@b.com.br", "url": "nowhere"}, ["input", "url"]),
    ],
)
def test_bad_fields_are_named_and_nothing_is_stored(
    ingest: httpx.Client, site: Site, db_url: str, fields: dict[str, Any], field: list[str]
) -> None:
    session_id = visit(ingest, {"url": site.url(), "visitorId": "v-1"})["session"]["sessionId"]
    result = capture(ingest, session_id, **fields)
    assert result["lead"] is None
    assert only_error(result) == ("INVALID", field)
    assert counts(db_url)["leads"] == 0
    assert fetch_one(db_url, "SELECT converted FROM sessions")["converted"] is False


def test_a_lead_of_an_unknown_session_is_refused(ingest: httpx.Client, site: Site, db_url: str) -> None:
    result = capture(ingest, "no-such-session", email="ana@empresa.com.br")
    assert only_error(result) == ("NOT_FOUND", ["input", "sessionId"])
    assert counts(db_url)["leads"] == 0


@pytest.mark.parametrize("consent", [True, False, None])
def test_a_lead_that_refused_ad_platforms_is_never_sent_to_them(
    ingest: httpx.Client,
    site: Site,
    db_url: str,
    server: LiveServer,
    make_key: KeyMaker,
    consent: bool | None,
) -> None:
    session_id = journey_of(ingest, site)["session"]["sessionId"]
    fields = {} if consent is None else {"adConsent": consent}
    lead_id = capture(ingest, session_id, email="ana@empresa.com.br", phone="(11) 98765-4321", **fields)[
        "lead"
    ]["leadId"]
    when = "2026-01-02T10:00:00+00:00"
    with server.client(make_key("connector")) as connector:
        result = send(
            connector,
            REGISTER_OFFLINE_CONVERSION,
            {"leadId": lead_id, "value": "1500.00", "conversionDate": when},
        )
    conversion = fetch_one(db_url, "SELECT * FROM offline_conversions WHERE lead_id = $1", lead_id)
    outbox = fetch(
        db_url, "SELECT platform FROM conversion_outbox WHERE conversion_id = $1", conversion["conversion_id"]
    )
    assert result["errors"] == []
    if consent is False:
        # Recorded as not sent: no row for the worker, every platform not applicable.
        assert outbox == []
        assert set(json.loads(conversion["sync_status"]).values()) == {"not_applicable"}
    else:
        # Not asked (None) is no refusal: the e-mail and the click id match everywhere.
        assert sorted(row["platform"] for row in outbox) == ["google_ads", "linkedin", "meta", "tiktok"]
