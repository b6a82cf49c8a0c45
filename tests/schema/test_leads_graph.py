"""One lead or conversion as clients read it: lookups, masking, stages, relations, metadata, errors."""

import uuid

import pytest

from tests.conftest import KeyMaker
from tests.graphql_http import gql, gql_data
from tests.live import LiveServer
from tests.sql import rows as sql

LEAD_BY_EMAIL = "query($email: String) { lead(email: $email) { leadId email hashedEmail } }"
# A second lead of the same person, captured after every seeded one (same e-mail hash and CRM id).
REPEAT_LEAD = """
INSERT INTO leads (session_id, domain_id, external_id, name, email, hashed_email, created_at)
SELECT session_id, domain_id, external_id, name, upper(email), hashed_email, now() FROM leads WHERE lead_id = $1
RETURNING lead_id
"""


def test_lead_by_email_matches_by_hash_and_returns_the_most_recent_lead(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    key = make_seeded_key("analyst")
    row = sql(
        seeded_db_url, "SELECT lead_id, email FROM leads WHERE email IS NOT NULL ORDER BY lead_id LIMIT 1"
    )[0]
    typed = f"  {row['email'].upper()} "
    lead = gql_data(seeded_server, key, LEAD_BY_EMAIL, email=typed)["lead"]
    assert (lead["leadId"], lead["email"]) == (str(row["lead_id"]), row["email"])
    newer = sql(seeded_db_url, REPEAT_LEAD, row["lead_id"])[0]["lead_id"]
    lead = gql_data(seeded_server, key, LEAD_BY_EMAIL, email=row["email"])["lead"]
    assert (lead["leadId"], lead["email"]) == (str(newer), row["email"].upper())


def test_lead_by_external_id_is_the_most_recent_with_that_id(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    key = make_seeded_key("viewer")
    row = sql(seeded_db_url, "SELECT external_id, lead_id FROM leads WHERE external_id IS NOT NULL LIMIT 1")[
        0
    ]
    query = "query($id: String) { lead(externalId: $id) { leadId externalId } }"
    lead = gql_data(seeded_server, key, query, id=row["external_id"])["lead"]
    assert lead == {"leadId": str(row["lead_id"]), "externalId": row["external_id"]}
    newer = sql(seeded_db_url, REPEAT_LEAD, row["lead_id"])[0]["lead_id"]
    lead = gql_data(seeded_server, key, query, id=row["external_id"])["lead"]
    assert lead == {"leadId": str(newer), "externalId": row["external_id"]}


PERSONAL = """
query($id: UUID) {
  lead(leadId: $id) {
    name email phone hashedEmail company
    integrationLogs(first: 5) { nodes { requestData integrationName } }
  }
}
"""


def test_personal_fields_are_null_for_viewer_and_present_for_analyst(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    row = sql(
        seeded_db_url,
        "SELECT l.* FROM leads l WHERE l.email IS NOT NULL AND l.phone IS NOT NULL AND EXISTS ("
        " SELECT 1 FROM integrations_log i WHERE i.lead_id = l.lead_id AND i.request_data IS NOT NULL)"
        " LIMIT 1",
    )[0]
    viewer = gql_data(seeded_server, make_seeded_key("viewer"), PERSONAL, id=str(row["lead_id"]))["lead"]
    analyst = gql_data(seeded_server, make_seeded_key("analyst"), PERSONAL, id=str(row["lead_id"]))["lead"]
    assert (viewer["name"], viewer["email"], viewer["phone"]) == (None, None, None)
    assert (analyst["name"], analyst["email"], analyst["phone"]) == (row["name"], row["email"], row["phone"])
    # Unsalted hashes of e-mails are personal data too: a dictionary recovers them.
    assert (viewer["hashedEmail"], analyst["hashedEmail"]) == (None, row["hashed_email"])
    assert viewer["company"] == row["company"]
    assert {log["requestData"] is None for log in viewer["integrationLogs"]["nodes"]} == {True}
    assert any(log["requestData"] is not None for log in analyst["integrationLogs"]["nodes"])


STAGES = """
query($id: UUID) {
  lead(leadId: $id) {
    stages { totalCount nodes { stageId stageName createdAt stageValue probability } }
    won: stages(stageName: "new") { nodes { stageName } }
    currentStage { stageId stageName }
  }
}
"""


def test_stages_are_chronological_and_current_stage_is_the_last(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    lead_id = sql(
        seeded_db_url,
        "SELECT lead_id FROM lead_stages GROUP BY lead_id HAVING count(*) >= 3 ORDER BY lead_id LIMIT 1",
    )[0]["lead_id"]
    expected = sql(
        seeded_db_url,
        "SELECT stage_id, stage_name FROM lead_stages WHERE lead_id = $1 ORDER BY created_at, recorded_seq",
        lead_id,
    )
    lead = gql_data(seeded_server, make_seeded_key("viewer"), STAGES, id=str(lead_id))["lead"]
    stages = lead["stages"]["nodes"]
    assert [s["stageId"] for s in stages] == [str(r["stage_id"]) for r in expected]
    assert [s["createdAt"] for s in stages] == sorted(s["createdAt"] for s in stages)
    assert lead["stages"]["totalCount"] == len(expected)
    assert lead["currentStage"] == {
        "stageId": str(expected[-1]["stage_id"]),
        "stageName": expected[-1]["stage_name"],
    }
    assert [s["stageName"] for s in lead["won"]["nodes"]] == [
        r["stage_name"] for r in expected if r["stage_name"] == "new"
    ]


def test_lead_customer_and_transactions_match_sql(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    row = sql(
        seeded_db_url,
        "SELECT l.lead_id, c.id FROM leads l JOIN customers c ON c.hashed_email = l.hashed_email"
        " WHERE EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.id) LIMIT 1",
    )[0]
    expected = [
        r["transaction_id"]
        for r in sql(
            seeded_db_url,
            "SELECT transaction_id FROM transactions WHERE customer_id = $1 ORDER BY order_date DESC, id DESC",
            row["id"],
        )
    ]
    query = """query($id: UUID) { lead(leadId: $id) {
      customer { customerId }
      transactions { totalCount nodes { transactionId } }
      first: transactions(first: 1) { nodes { transactionId } pageInfo { hasNextPage } }
    } }"""
    lead = gql_data(seeded_server, make_seeded_key("viewer"), query, id=str(row["lead_id"]))["lead"]
    assert lead["customer"] == {"customerId": row["id"]}
    assert [t["transactionId"] for t in lead["transactions"]["nodes"]] == expected
    assert lead["transactions"]["totalCount"] == len(expected)
    more = len(expected) > 1
    assert lead["first"] == {"nodes": [{"transactionId": expected[0]}], "pageInfo": {"hasNextPage": more}}


def test_lead_without_a_customer_has_no_customer_and_no_transactions(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    lead_id = sql(
        seeded_db_url,
        "SELECT lead_id FROM leads l WHERE NOT EXISTS"
        " (SELECT 1 FROM customers c WHERE c.hashed_email = l.hashed_email) LIMIT 1",
    )[0]["lead_id"]
    query = "query($id: UUID) { lead(leadId: $id) { customer { customerId } transactions { totalCount nodes { transactionId } } } }"
    lead = gql_data(seeded_server, make_seeded_key("viewer"), query, id=str(lead_id))["lead"]
    assert lead == {"customer": None, "transactions": {"totalCount": 0, "nodes": []}}


def test_metadata_is_typed_from_the_stored_object(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    lead_id = sql(seeded_db_url, "SELECT lead_id FROM leads WHERE metadata ? 'scoring' LIMIT 1")[0]["lead_id"]
    query = """query($id: UUID) { lead(leadId: $id) { metadataJson metadata {
      scoring { demographic behavioral firmographic total }
      qualification { budget authority need timeline }
      enrichment { companySize industry revenue technologies } } } }"""
    lead = gql_data(seeded_server, make_seeded_key("viewer"), query, id=str(lead_id))["lead"]
    assert lead["metadata"] == lead["metadataJson"]


def test_metadata_missing_keys_read_as_null(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    lead_id = sql(
        seeded_db_url,
        'UPDATE leads SET metadata = \'{"scoring": {"total": 70}, "enrichment": 5}\''
        " WHERE lead_id = (SELECT min(lead_id::text)::uuid FROM leads) RETURNING lead_id",
    )[0]["lead_id"]
    query = "query($id: UUID) { lead(leadId: $id) { metadata { scoring { total demographic } enrichment { industry technologies } qualification { need } } } }"
    lead = gql_data(seeded_server, make_seeded_key("viewer"), query, id=str(lead_id))["lead"]
    assert lead["metadata"] == {
        "scoring": {"total": 70, "demographic": None},
        "enrichment": {"industry": None, "technologies": None},
        "qualification": {"need": None},
    }


def test_conversion_relations_and_sync_logs(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    conversion = sql(
        seeded_db_url, "SELECT * FROM offline_conversions WHERE original_tracking_id IS NOT NULL LIMIT 1"
    )[0]
    logs = sql(
        seeded_db_url,
        "SELECT platform, sync_status FROM platform_sync_log WHERE conversion_id = $1 ORDER BY created_at, sync_id",
        conversion["conversion_id"],
    )
    query = """query($id: UUID!) { offlineConversion(conversionId: $id) {
      conversionValue lead { leadId offlineConversions { nodes { conversionId } } }
      originalTracking { trackingId }
      platformSyncLogs { nodes { platform syncStatus conversion { conversionId } } } } }"""
    found = gql_data(seeded_server, make_seeded_key("viewer"), query, id=str(conversion["conversion_id"]))
    node = found["offlineConversion"]
    assert node["conversionValue"] == str(conversion["conversion_value"])
    assert node["lead"]["leadId"] == str(conversion["lead_id"])
    assert str(conversion["conversion_id"]) in [
        c["conversionId"] for c in node["lead"]["offlineConversions"]["nodes"]
    ]
    assert node["originalTracking"] == {"trackingId": str(conversion["original_tracking_id"])}
    assert [(s["platform"], s["syncStatus"]) for s in node["platformSyncLogs"]["nodes"]] == [
        (r["platform"].upper(), r["sync_status"].upper()) for r in logs
    ]
    assert logs
    assert {s["conversion"]["conversionId"] for s in node["platformSyncLogs"]["nodes"]} == {
        str(conversion["conversion_id"])
    }


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ('leadId: "not-a-uuid"', "leadId"),
        ('leadId: "00000000-0000-0000-0000-000000000001", email: "a@b.com"', "email"),
        ('externalId: "x", email: "a@b.com"', "email"),
        ("", "leadId"),
    ],
)
def test_bad_lead_lookups_give_one_error_naming_the_argument(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, arguments: str, named: str
) -> None:
    call = f"lead({arguments})" if arguments else "lead"
    body = gql(seeded_server, make_seeded_key("viewer"), f"{{ {call} {{ leadId }} }}")
    assert len(body["errors"]) == 1
    assert f"'{named}'" in body["errors"][0]["message"] or f'"{named}"' in body["errors"][0]["message"]
    assert not body.get("data") or body["data"]["lead"] is None


def test_malformed_lead_id_in_a_variable_gives_one_error_naming_the_variable(
    seeded_server: LiveServer, make_seeded_key: KeyMaker
) -> None:
    query = "query($id: UUID) { lead(leadId: $id) { leadId } }"
    body = gql(seeded_server, make_seeded_key("viewer"), query, id="not-a-uuid")
    assert len(body["errors"]) == 1
    assert "'$id'" in body["errors"][0]["message"] and "UUID" in body["errors"][0]["message"]


def test_unknown_ids_are_null(seeded_server: LiveServer, make_seeded_key: KeyMaker) -> None:
    query = """query($id: UUID!) {
      byId: lead(leadId: $id) { leadId }
      byExternal: lead(externalId: "no-such-contact") { leadId }
      byEmail: lead(email: "nobody@nowhere.example") { leadId }
      offlineConversion(conversionId: $id) { conversionId }
    }"""
    # Analysts may look people up by e-mail; viewers are refused (tests/graph/test_roles.py).
    found = gql_data(seeded_server, make_seeded_key("analyst"), query, id=str(uuid.uuid4()))
    assert found == {"byId": None, "byExternal": None, "byEmail": None, "offlineConversion": None}
