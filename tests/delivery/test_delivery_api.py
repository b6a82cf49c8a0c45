"""Deliveries as users see them over GraphQL: the queue, its attempts, retrying by hand, accounts, /readyz lag."""

import uuid
from typing import Any

import httpx

from integrations.outbox import ClickIds
from models.enums import Destination
from tests.conftest import KeyMaker
from tests.delivery.arrange import (
    SECRET_KEY,
    by_platform,
    hours_ago,
    make_lead,
    make_site,
    queue_conversions,
    set_account,
    sync_of,
)
from tests.delivery.conftest import drain, drain_until_settled
from tests.delivery.fakes_fixture import Fakes
from tests.fakes.meta import graph_error
from tests.fakes.platform import TOKEN, refuse
from tests.graphql_http import data
from tests.live import live_server
from tests.mutations.graphql import ERRORS, Mutation, only_error, send
from tests.sql import execute, fetch_one

META_ONLY = ClickIds(fbclid="IwAR-fbclid", clicked_at=hours_ago(30))

DELIVERIES = """
query Deliveries($filter: ConversionDeliveryFilter) {
  conversionDeliveries(filter: $filter) {
    totalCount
    nodes {
      conversionId platform kind status attemptCount lastError nextAttemptAt final deliveredAt
      attempts { nodes { syncStatus httpStatusCode } }
    }
  }
}"""

RETRY = Mutation(
    "retryDelivery",
    f"""mutation Retry($input: RetryDeliveryInput!) {{
      retryDelivery(input: $input) {{ delivery {{ status attemptCount nextAttemptAt final }} {ERRORS} }}
    }}""",
)

SET_ACCOUNT = Mutation(
    "setDeliveryAccount",
    f"""mutation Set($input: SetDeliveryAccountInput!) {{
      setDeliveryAccount(input: $input) {{
        account {{ domainId destination name settings hasSecrets active }} wokenDeliveries {ERRORS}
      }}
    }}""",
)


def deliveries(client: httpx.Client, **equal: Any) -> dict[str, Any]:
    filter_ = {name: {"eq": value} for name, value in equal.items()}
    found: dict[str, Any] = data(client, DELIVERIES, filter=filter_)["conversionDeliveries"]
    return found


def test_a_permanent_failure_is_visible_and_retried_by_hand_until_delivered(
    db_url: str, fakes: Fakes, make_key: KeyMaker
) -> None:
    site = make_site(db_url)
    set_account(db_url, site, Destination.META)
    (conversion,) = queue_conversions(db_url, make_lead(db_url, site, phone=None), clicks=META_ONLY)
    fakes.meta.script(refuse(400, graph_error("Invalid parameter: custom_data.currency", code=100).body))
    drain_until_settled(db_url, fakes.config())

    with live_server(db_url) as live, live.client(make_key("connector")) as client:
        failed = deliveries(client, status="FAILED", platform="META", domainId=str(site.domain_id))
        assert failed["totalCount"] == 1
        (row,) = failed["nodes"]
        assert (row["conversionId"], row["kind"], row["attemptCount"]) == (str(conversion), "CONVERSION", 1)
        assert "custom_data.currency" in row["lastError"]
        assert (row["final"], row["nextAttemptAt"]) == (True, None)
        assert [a["syncStatus"] for a in row["attempts"]["nodes"]] == ["FAILED"]
        assert deliveries(client, domainId=str(uuid.uuid4()))["totalCount"] == 0

        retried = send(client, RETRY, {"conversionId": str(conversion), "platform": "META"})
        assert retried["errors"] == []
        delivery = retried["delivery"]
        assert (delivery["status"], delivery["attemptCount"], delivery["final"]) == ("PENDING", 0, False)
        assert delivery["nextAttemptAt"] is not None
        assert sync_of(db_url, conversion)["meta"] == "pending"

        assert drain(db_url, fakes.config()) == {"meta:delivered": 1}
        (done,) = deliveries(client, conversionId=str(conversion), platform="META")["nodes"]
        assert (done["status"], done["final"], done["lastError"]) == ("DELIVERED", False, None)
        assert [a["syncStatus"] for a in done["attempts"]["nodes"]] == ["FAILED", "SUCCESS"]
        assert sync_of(db_url, conversion)["meta"] == "success"

        again = send(client, RETRY, {"conversionId": str(conversion), "platform": "META"})
        assert only_error(again) == ("CONFLICT", ["input", "platform"])
        assert "delivered already" in again["errors"][0]["message"]


def test_retry_names_what_is_missing_and_refuses_viewers(db_url: str, make_key: KeyMaker) -> None:
    site = make_site(db_url)
    (conversion,) = queue_conversions(db_url, make_lead(db_url, site, phone=None), clicks=META_ONLY)
    execute(
        db_url,
        "UPDATE conversion_outbox SET status = 'expired', next_attempt_at = 'infinity' WHERE platform = 'meta'",
    )

    with live_server(db_url) as live:
        with live.client(make_key("viewer")) as viewer:
            refused = send(viewer, RETRY, {"conversionId": str(conversion), "platform": "META"})
            assert only_error(refused) == ("FORBIDDEN", None)
        with live.client(make_key("admin")) as admin:
            unknown = send(admin, RETRY, {"conversionId": str(uuid.uuid4()), "platform": "META"})
            assert only_error(unknown) == ("NOT_FOUND", ["input", "conversionId"])
            retraction = {"conversionId": str(conversion), "platform": "META", "kind": "RETRACTION"}
            not_queued = send(admin, RETRY, retraction)
            assert only_error(not_queued) == ("NOT_FOUND", ["input", "conversionId"])
            expired = send(admin, RETRY, {"conversionId": str(conversion), "platform": "META"})
            assert only_error(expired) == ("CONFLICT", ["input", "platform"])
            assert "window" in expired["errors"][0]["message"]
    assert by_platform(db_url, conversion)["meta"]["status"] == "expired"


def test_concurrent_retries_of_one_delivery_leave_one_due_row(db_url: str, make_key: KeyMaker) -> None:
    import asyncio

    site = make_site(db_url)
    (conversion,) = queue_conversions(db_url, make_lead(db_url, site, phone=None), clicks=META_ONLY)
    execute(db_url, "DELETE FROM conversion_outbox WHERE platform <> 'meta'")
    execute(
        db_url, "UPDATE conversion_outbox SET status = 'failed', attempts = 10, next_attempt_at = 'infinity'"
    )
    body = {
        "query": RETRY.document,
        "variables": {"input": {"conversionId": str(conversion), "platform": "META"}},
    }

    async def burst(live: Any, key: str) -> list[dict[str, Any]]:
        async with live.async_client(key) as client:
            answers = await asyncio.gather(*(client.post("/graphql", json=body) for _ in range(20)))
        return [answer.json()["data"]["retryDelivery"] for answer in answers]

    with live_server(db_url) as live:
        results = asyncio.run(burst(live, make_key("connector")))
    assert all(result["errors"] == [] for result in results)
    row = fetch_one(
        db_url,
        "SELECT count(*) AS n, min(status) AS status, max(attempts) AS attempts FROM conversion_outbox",
    )
    assert (row["n"], row["status"], row["attempts"]) == (1, "pending", 0)


def test_an_account_set_by_mutation_wakes_what_waited_and_never_shows_its_secrets(
    db_url: str, fakes: Fakes, make_key: KeyMaker
) -> None:
    site = make_site(db_url)
    (conversion,) = queue_conversions(db_url, make_lead(db_url, site, phone=None), clicks=META_ONLY)
    drain(db_url, fakes.config())
    assert by_platform(db_url, conversion)["meta"]["status"] == "not_configured"
    token = TOKEN  # what the fake Meta accepts
    input = {
        "domainId": str(site.domain_id),
        "destination": "META",
        "name": "Meta - loja",
        "settings": {"pixel_id": "1234567890"},
        "secrets": {"access_token": token},
    }

    with live_server(db_url, secret_key=SECRET_KEY) as live:
        with live.client(make_key("connector")) as connector:
            assert only_error(send(connector, SET_ACCOUNT, input)) == ("FORBIDDEN", None)
        with live.client(make_key("admin")) as admin:
            bad = send(admin, SET_ACCOUNT, {**input, "settings": {"pixel": "x"}})
            assert bad["errors"][0]["code"] == "INVALID"
            assert bad["errors"][0]["field"][:2] == ["input", "settings"]
            stored = send(admin, SET_ACCOUNT, input)
            assert stored["errors"] == []
            assert stored["wokenDeliveries"] == 1
            assert stored["account"]["hasSecrets"] is True
            assert stored["account"]["settings"]["pixel_id"] == "1234567890"  # with the defaults filled in
            response = admin.post(
                "/graphql", json={"query": "{ __schema { types { name fields { name } } } }"}
            )
            assert token not in response.text and token not in str(stored)
    raw = fetch_one(db_url, "SELECT secrets FROM delivery_accounts WHERE domain_id = $1", site.domain_id)
    assert token.encode() not in raw["secrets"]
    assert by_platform(db_url, conversion)["meta"]["status"] == "pending"
    assert drain(db_url, fakes.config()) == {"meta:delivered": 1}


def test_sync_logs_and_integration_logs_have_root_lists_with_filters(
    db_url: str, fakes: Fakes, make_key: KeyMaker
) -> None:
    site, other = make_site(db_url), make_site(db_url, "outra.example.com.br")
    for each in (site, other):
        set_account(db_url, each, Destination.META)
        queue_conversions(db_url, make_lead(db_url, each, phone=None), clicks=META_ONLY)
    boom = refuse(500, {"error": {"message": "boom"}})
    fakes.meta.script(boom, boom)  # each domain's first request
    drain_until_settled(db_url, fakes.config())
    lead = make_lead(db_url, site, email="crm@loja.com.br")
    execute(
        db_url,
        "INSERT INTO integrations_log (lead_id, domain_id, integration_type, integration_name, status, error_message)"
        " SELECT $1, domain_id, 'webhook', 'hubspot', 'failed', 'HTTP 502' FROM leads WHERE lead_id = $1",
        lead.lead_id,
    )
    logs_query = """query Logs($f: PlatformSyncLogFilter, $g: IntegrationLogFilter) {
      platformSyncLogs(filter: $f) { totalCount nodes { platform syncStatus httpStatusCode } }
      integrationLogs(filter: $g) { totalCount nodes { leadId integrationName status errorMessage } }
    }"""

    with live_server(db_url) as live, live.client(make_key("viewer")) as client:
        everything = data(client, logs_query)
        assert everything["platformSyncLogs"]["totalCount"] == 4  # per domain: a 500, then its retry
        one_domain = data(
            client, logs_query, f={"domainId": {"eq": str(site.domain_id)}, "syncStatus": {"eq": "FAILED"}}
        )
        assert [n["httpStatusCode"] for n in one_domain["platformSyncLogs"]["nodes"]] == [500]
        failed = data(
            client, logs_query, g={"status": {"eq": "failed"}, "domainId": {"eq": str(site.domain_id)}}
        )
        assert failed["integrationLogs"]["nodes"] == [
            {
                "leadId": str(lead.lead_id),
                "integrationName": "hubspot",
                "status": "failed",
                "errorMessage": "HTTP 502",
            }
        ]
        none = data(client, logs_query, g={"domainId": {"eq": str(other.domain_id)}})
        assert none["integrationLogs"]["totalCount"] == 0


def test_readyz_reports_how_far_the_workers_are_behind(db_url: str) -> None:
    site = make_site(db_url)
    queue_conversions(db_url, make_lead(db_url, site, phone=None), clicks=META_ONLY)
    queued = fetch_one(db_url, "SELECT count(*) AS n FROM conversion_outbox")["n"]
    with live_server(db_url) as live, live.client() as client:
        assert client.get("/readyz").json()["outbox"]["due"] == queued
        execute(db_url, "UPDATE conversion_outbox SET next_attempt_at = now() + interval '1 hour'")
        assert client.get("/readyz").json()["outbox"] == {"due": 0, "lag_seconds": 0.0}  # backing off
        execute(db_url, "UPDATE conversion_outbox SET next_attempt_at = now() - interval '90 seconds'")
        outbox = client.get("/readyz").json()["outbox"]
        assert outbox["due"] == queued and 90 <= outbox["lag_seconds"] < 120
        execute(db_url, "UPDATE conversion_outbox SET status = 'delivered'")
        assert client.get("/readyz").json()["outbox"] == {"due": 0, "lag_seconds": 0.0}
