"""eraseDataSubject over HTTP: nothing of the person is left in any table, reports do not change, nothing
of theirs is sent afterwards, the record keeps no data, and a second erasure finds nothing."""

import json
from typing import Any

import pytest

from tests.conftest import KeyMaker
from tests.lgpd.people import ANA, BIA, Person, arrange
from tests.lgpd.test_export import export
from tests.live import LiveServer
from tests.sql import fetch, fetch_one

ERASE = """
mutation($input: EraseDataSubjectInput!) {
  eraseDataSubject(input: $input) {
    erasure { erasureId erasedAt actorKeyId identifierKind reason totalRows tables { table rows } }
    errors { code field message }
  }
}"""
REPORTS = """{
  analytics {
    transactionTotals(groupBy: [UTM_SOURCE, UTM_CAMPAIGN, DAY]) { rows { utmSource utmCampaign bucket count value } }
    sessionTotals(groupBy: [UTM_CAMPAIGN, DAY]) { rows { utmCampaign bucket count } }
    campaignPerformance { rows { utmCampaign utmSource utmMedium totalSessions totalLeads totalRevenue } }
  }
}"""


def erase(server: LiveServer, key: str, **input: str) -> dict[str, Any]:
    with server.client(key) as client:
        body = client.post("/graphql", json={"query": ERASE, "variables": {"input": input}}).json()
    assert "errors" not in body, body
    return dict(body["data"]["eraseDataSubject"])


def reports(server: LiveServer, key: str) -> dict[str, Any]:
    with server.client(key) as client:
        body = client.post("/graphql", json={"query": REPORTS}).json()
    assert "errors" not in body, body
    return dict(body["data"])


RELATIONS = """
SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'
UNION ALL SELECT matviewname FROM pg_matviews WHERE schemaname = 'public'
"""


def left_anywhere(url: str, who: Person) -> list[tuple[str, str]]:
    """(table, secret) for every table and materialized view whose rows still hold one of the person's values."""
    tables = [row["t"] for row in fetch(url, RELATIONS)]
    found = []
    for table in tables:
        text = "\n".join(row["r"] for row in fetch(url, f"SELECT lower(t::text) AS r FROM {table} t"))
        found += [(table, secret) for secret in who.secrets if secret in text]
    return found


def test_erasure_leaves_nothing_of_the_person_and_no_report_changes(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    arranged = arrange(seeded_db_url, ANA)
    arrange(seeded_db_url, BIA)
    admin = make_seeded_key("admin")
    assert {table for table, _ in left_anywhere(seeded_db_url, ANA)} >= {
        "leads",
        "customers",
        "checkout_events",
    }
    before, bia_before = reports(seeded_server, admin), export(seeded_server, admin, email=BIA.email)

    result = erase(seeded_server, admin, phone="+55 11 98765-0001", reason="ticket 4711")

    assert result["errors"] == []
    erasure = result["erasure"]
    counts = {row["table"]: row["rows"] for row in erasure["tables"]}
    for table in counts:
        assert counts[table] == len(arranged[table]), table
    assert erasure["totalRows"] == sum(counts.values()) > 0
    assert (erasure["identifierKind"], erasure["reason"]) == ("phone", "ticket 4711")
    assert left_anywhere(seeded_db_url, ANA) == []
    for identifier in ({"email": ANA.email}, {"phone": ANA.phone_digits}, {"document": ANA.document}):
        assert export(seeded_server, admin, **identifier)["totalRows"] == 0
    assert export(seeded_server, admin, email=BIA.email) == bia_before
    assert reports(seeded_server, admin) == before
    (webhook, _) = arranged["checkout_events"]
    payload = fetch_one(seeded_db_url, "SELECT payload::text FROM checkout_events WHERE id = $1", webhook)
    assert json.loads(payload["payload"])["data"] == {
        "buyer": {"email": "[erased]", "first_name": "[erased]",
                  "address": {"street": "[erased]", "zipcode": "[erased]"}},
        "purchase": {"transaction": "HP-LGPD-ana", "price": 997},
    }  # fmt: skip
    record = fetch_one(seeded_db_url, "SELECT * FROM data_subject_erasures")
    assert record["row_counts"] is not None and str(record["actor_key_id"]) == erasure["actorKeyId"]

    again = erase(seeded_server, admin, email=ANA.email, reason="ticket 4711, again")
    assert again["errors"] == [] and again["erasure"]["totalRows"] == 0
    assert {row["rows"] for row in again["erasure"]["tables"]} == {0}


def test_deliveries_of_an_erased_lead_are_canceled_and_cannot_be_retried(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    arranged = arrange(seeded_db_url, ANA)
    admin = make_seeded_key("admin")
    erase(seeded_server, admin, document="390.533.447-05", reason="titular pediu")
    (delivery,) = arranged["conversion_outbox"]
    outbox = fetch_one(seeded_db_url, "SELECT * FROM conversion_outbox WHERE id = $1", delivery)
    assert outbox["status"] == "canceled"
    conversion = fetch_one(
        seeded_db_url,
        "SELECT sync_status::text FROM offline_conversions WHERE conversion_id = $1",
        outbox["conversion_id"],
    )
    assert json.loads(conversion["sync_status"]) == {"meta": "canceled"}
    due = fetch(
        seeded_db_url,
        "SELECT 1 FROM conversion_outbox WHERE id = $1 AND next_attempt_at < 'infinity'",
        delivery,
    )
    assert due == []
    (log,) = arranged["integrations_log"]
    crm = fetch_one(
        seeded_db_url,
        "SELECT status, next_attempt_at::text AS due FROM integrations_log WHERE log_id = $1",
        log,
    )
    assert (crm["status"], crm["due"]) == ("failed", "infinity")
    retry = """mutation($input: RetryDeliveryInput!) { retryDelivery(input: $input) { errors { code message } } }"""
    (conversion,) = arranged["offline_conversions"]
    with seeded_server.client(admin) as client:
        body = client.post(
            "/graphql",
            json={
                "query": retry,
                "variables": {"input": {"conversionId": str(conversion), "platform": "META"}},
            },
        ).json()
    (error,) = body["data"]["retryDelivery"]["errors"]
    assert error["code"] == "CONFLICT" and "erased" in error["message"]


@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"reason": "x"}, ["input", "email"]),
        ({"email": ANA.email, "document": ANA.document, "reason": "x"}, ["input", "email"]),
        ({"phone": "12", "reason": "x"}, ["input", "phone"]),
        ({"email": ANA.email, "reason": "  "}, ["input", "reason"]),
        ({"email": ANA.email, "reason": "x" * 501}, ["input", "reason"]),
    ],
)
def test_a_bad_request_erases_nothing_and_names_the_field(
    seeded_server: LiveServer,
    seeded_db_url: str,
    make_seeded_key: KeyMaker,
    input: dict[str, str],
    field: list[str],
) -> None:
    arrange(seeded_db_url, ANA)
    admin = make_seeded_key("admin")
    result = erase(seeded_server, admin, **input)
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("INVALID", field)]
    assert result["erasure"] is None
    assert export(seeded_server, admin, email=ANA.email)["data"]["leads"] != []
    assert fetch(seeded_db_url, "SELECT 1 FROM data_subject_erasures") == []
