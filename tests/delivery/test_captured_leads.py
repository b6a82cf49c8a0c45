"""A lead captured by captureLead reaches the domain's CRM webhook through the worker, as queued."""

from models.enums import Destination
from tests.conftest import KeyMaker
from tests.delivery.arrange import Site, set_account
from tests.delivery.conftest import drain
from tests.delivery.fakes_fixture import Fakes
from tests.ingest.tracking import CAPTURE_LEAD, make_domain, visit
from tests.live import live_server
from tests.mutations.graphql import send
from tests.sql import fetch_one


def test_a_captured_lead_is_posted_to_the_crm(db_url: str, fakes: Fakes, make_key: KeyMaker) -> None:
    site = make_domain(db_url, "loja.example.com.br")
    set_account(
        db_url, Site(site.domain_id, ""), Destination.CRM_WEBHOOK, settings={"url": fakes.urls["crm"]}
    )
    with live_server(db_url) as live, live.client(make_key("ingest")) as client:
        session = visit(
            client, {"url": site.url("/oferta", "utm_source=google&utm_campaign=bf"), "visitorId": "v"}
        )
        lead = send(
            client, CAPTURE_LEAD, {"sessionId": session["session"]["sessionId"], "email": "ana@loja.com.br"}
        )

    assert drain(db_url, fakes.config()) == {"crm_webhook:success": 1}

    (request,) = fakes.crm.requests
    body = request.json()
    assert body["event"] == "lead.created"
    assert (body["lead"]["leadId"], body["lead"]["email"]) == (lead["lead"]["leadId"], "ana@loja.com.br")
    assert body["lead"]["utm"] == {"source": "google", "campaign": "bf"}
    row = fetch_one(db_url, "SELECT status, lead_id::text FROM integrations_log")
    assert row == {"status": "success", "lead_id": lead["lead"]["leadId"]}
