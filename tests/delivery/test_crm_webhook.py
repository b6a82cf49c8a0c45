"""New leads reach the domain's CRM webhook, signed; integrations_log records each try (at most 3 retries)."""

import json
import uuid
from typing import Any

from models.enums import Destination
from tests.delivery.arrange import make_lead, make_site, set_account
from tests.delivery.conftest import drain
from tests.delivery.fakes_fixture import Fakes
from tests.fakes.platform import refuse
from tests.sql import execute, fetch_one


def queue_lead_created(url: str, lead_id: uuid.UUID, name: str = "hubspot") -> uuid.UUID:
    """The row captureLead writes in the lead's transaction (the delivery contract)."""
    log_id = uuid.uuid4()
    request = {"event": "lead.created", "lead": {"leadId": str(lead_id), "email": "maria@empresa.com.br"}}
    execute(
        url,
        "INSERT INTO integrations_log"
        " (log_id, lead_id, domain_id, integration_type, integration_name, status, request_data)"
        " SELECT $1, $2, domain_id, 'webhook', $3, 'pending', $4::jsonb FROM leads WHERE lead_id = $2",
        log_id, lead_id, name, json.dumps(request),
    )  # fmt: skip
    return log_id


def log_row(url: str, log_id: uuid.UUID) -> dict[str, Any]:
    row = fetch_one(url, "SELECT * FROM integrations_log WHERE log_id = $1", log_id)
    row["response_data"] = json.loads(row["response_data"]) if row["response_data"] else None
    return row


def crm_site(url: str, fakes: Fakes) -> Any:
    site = make_site(url)
    set_account(
        url,
        site,
        Destination.CRM_WEBHOOK,
        settings={"url": fakes.urls["crm"] + "/hooks/rastro"},
        name="hubspot",
    )
    return make_lead(url, site)


def test_a_new_lead_is_posted_signed_and_logged_as_success(db_url: str, fakes: Fakes) -> None:
    lead = crm_site(db_url, fakes)
    log_id = queue_lead_created(db_url, lead.lead_id)

    assert drain(db_url, fakes.config()) == {"crm_webhook:success": 1}

    (request,) = fakes.crm.requests
    assert request.path == "/hooks/rastro"
    assert request.json() == {
        "event": "lead.created",
        "lead": {"leadId": str(lead.lead_id), "email": "maria@empresa.com.br"},
    }
    assert request.headers["x-rastro-delivery"] == str(log_id)
    assert request.headers["x-rastro-event"] == "lead.created"
    row = log_row(db_url, log_id)
    assert (row["status"], row["retry_count"], row["error_message"]) == ("success", 0, None)
    assert row["processed_at"] is not None
    assert row["response_data"]["statusCode"] == 200
    assert row["response_data"]["body"] == {"id": "crm-contact-1"}


def test_a_bad_signature_is_what_the_crm_refuses(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    set_account(
        db_url, site, Destination.CRM_WEBHOOK,
        settings={"url": fakes.urls["crm"]}, secrets={"signing_secret": "another-secret-0123456789"},
    )  # fmt: skip
    log_id = queue_lead_created(db_url, make_lead(db_url, site).lead_id)

    drain(db_url, fakes.config())

    row = log_row(db_url, log_id)
    assert (row["status"], row["retry_count"], row["next_attempt_at"]) == ("failed", 1, None)
    assert "401" in row["error_message"] and "bad signature" in row["error_message"]
    assert not fakes.crm.ids()


def test_failures_are_retried_at_most_three_times(db_url: str, fakes: Fakes) -> None:
    lead = crm_site(db_url, fakes)
    log_id = queue_lead_created(db_url, lead.lead_id)
    fakes.crm.script(*[refuse(503, {"error": "maintenance"})] * 10)
    patient = fakes.config(backoff_base=60.0, backoff_cap=60.0)  # each retry waits until the test says

    for expected_retries in (1, 2, 3):
        drain(db_url, patient)
        row = log_row(db_url, log_id)
        assert (row["status"], row["retry_count"]) == ("failed", expected_retries)
        assert row["next_attempt_at"] is not None  # another try is scheduled
        assert row["response_data"] == {
            "statusCode": 503,
            "body": {"error": "maintenance"},
            "duration_ms": row["response_data"]["duration_ms"],
        }
        execute(db_url, "UPDATE integrations_log SET next_attempt_at = now() WHERE log_id = $1", log_id)

    drain(db_url, patient)
    row = log_row(db_url, log_id)
    assert (row["status"], row["retry_count"], row["next_attempt_at"]) == ("failed", 4, None)
    assert "503" in row["error_message"] and row["processed_at"] is not None
    assert len(fakes.crm.requests) == 4  # the first try and three retries
    assert drain(db_url, fakes.config()) == {}


def test_a_domain_without_a_webhook_account_keeps_the_lead_pending(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    log_id = queue_lead_created(db_url, make_lead(db_url, site).lead_id)

    assert drain(db_url, fakes.config()) == {"crm_webhook:not_configured": 1}

    row = log_row(db_url, log_id)
    assert (row["status"], row["retry_count"]) == ("pending", 0)
    assert "no active crm_webhook account" in row["error_message"]
    assert drain(db_url, fakes.config()) == {}  # parked until an account is set
    assert not fakes.crm.requests
