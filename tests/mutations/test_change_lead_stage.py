"""changeLeadStage: appends to the history, repeats change nothing, closed leads need reopen."""

import datetime as dt
from typing import Any

import pytest

from tests.conftest import KeyMaker, key_maker
from tests.live import LiveServer
from tests.mutations.conftest import SharedServer
from tests.mutations.db import count, fetch, open_leads
from tests.mutations.graphql import CHANGE_LEAD_STAGE, only_error, send

STAGES_OF_LEAD = (
    "SELECT stage_id, stage_name, stage_value, probability, changed_by, reason, created_at"
    " FROM lead_stages WHERE lead_id = $1 ORDER BY created_at DESC, recorded_seq DESC"
)


def moment(minutes_ago: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)).isoformat()


def test_a_stage_is_appended_and_becomes_current(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    before = fetch(seeded_db_url, STAGES_OF_LEAD, lead_id)
    occurred_at = moment(1)
    with seeded_server.client(make_seeded_key("connector")) as client:
        result = send(
            client,
            CHANGE_LEAD_STAGE,
            {
                "leadId": str(lead_id),
                "stage": "proposal",
                "value": "15000.50",
                "probability": 60,
                "changedBy": "ana.souza@empresa.com.br",
                "reason": "Proposta enviada",
                "occurredAt": occurred_at,
            },
        )
    assert result["errors"] == [] and result["changed"] is True
    assert result["lead"] == {"leadId": str(lead_id)}
    after = fetch(seeded_db_url, STAGES_OF_LEAD, lead_id)
    assert after[1:] == before  # history is only appended to
    latest = after[0]
    assert str(latest["stage_id"]) == result["stage"]["stageId"]
    assert (latest["stage_name"], str(latest["stage_value"]), latest["probability"]) == (
        "proposal",
        "15000.50",
        60,
    )
    assert (latest["changed_by"], latest["reason"]) == ("ana.souza@empresa.com.br", "Proposta enviada")
    assert latest["created_at"] == dt.datetime.fromisoformat(occurred_at)


def test_the_same_stage_and_value_again_changes_nothing(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    change = {"leadId": str(lead_id), "stage": "negotiation", "value": "900", "occurredAt": moment(2)}
    with seeded_server.client(make_seeded_key("connector")) as client:
        first = send(client, CHANGE_LEAD_STAGE, change)
        rows = count(seeded_db_url, "lead_stages", lead_id)
        again = send(client, CHANGE_LEAD_STAGE, {**change, "value": "900.00", "occurredAt": moment(1)})
    assert first["changed"] is True
    assert again["errors"] == [] and again["changed"] is False
    assert again["stage"] == first["stage"]
    assert count(seeded_db_url, "lead_stages", lead_id) == rows


def test_external_id_finds_the_lead_and_changed_by_defaults_to_the_key_name(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead = next(lead for lead in open_leads(seeded_db_url) if lead["external_id"])
    with seeded_server.client(make_seeded_key("admin")) as client:
        result = send(client, CHANGE_LEAD_STAGE, {"externalId": lead["external_id"], "stage": "qualified"})
    assert result["errors"] == [] and result["lead"] == {"leadId": str(lead["lead_id"])}
    latest = fetch(seeded_db_url, STAGES_OF_LEAD, lead["lead_id"])[0]
    assert latest["stage_name"] == "qualified"
    assert latest["changed_by"].startswith("test-admin-")


def test_leaving_won_or_lost_needs_reopen(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    with seeded_server.client(make_seeded_key("connector")) as client:
        lost = send(
            client, CHANGE_LEAD_STAGE, {"leadId": str(lead_id), "stage": "lost", "occurredAt": moment(3)}
        )
        assert lost["changed"] is True
        refused = send(client, CHANGE_LEAD_STAGE, {"leadId": str(lead_id), "stage": "negotiation"})
        rows = count(seeded_db_url, "lead_stages", lead_id)
        reopened = send(
            client, CHANGE_LEAD_STAGE, {"leadId": str(lead_id), "stage": "negotiation", "reopen": True}
        )
    assert only_error(refused) == ("CONFLICT", ["input", "reopen"])
    assert refused["stage"] is None and refused["changed"] is False
    assert reopened["errors"] == [] and reopened["changed"] is True
    assert count(seeded_db_url, "lead_stages", lead_id) == rows + 1


NO_SUCH_LEAD = "00000000-0000-0000-0000-000000000000"

INVALID_CHANGES: list[tuple[str, dict[str, Any], tuple[str, list[str]]]] = [
    ("unknown stage", {"stage": "closed"}, ("INVALID", ["input", "stage"])),
    ("probability over 100", {"stage": "won", "probability": 101}, ("INVALID", ["input", "probability"])),
    ("negative probability", {"stage": "won", "probability": -1}, ("INVALID", ["input", "probability"])),
    ("negative value", {"stage": "won", "value": "-0.01"}, ("INVALID", ["input", "value"])),
    ("fractions of a cent", {"stage": "won", "value": "10.001"}, ("INVALID", ["input", "value"])),
    ("time in the future", {"stage": "won", "occurredAt": "2999-01-01T00:00:00Z"}, ("INVALID", ["input", "occurredAt"])),
    ("blank changedBy", {"stage": "won", "changedBy": "  "}, ("INVALID", ["input", "changedBy"])),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "expected"), [case[1:] for case in INVALID_CHANGES], ids=[c[0] for c in INVALID_CHANGES]
)
def test_each_invalid_value_comes_back_with_its_field(
    shared_server: SharedServer, change: dict[str, Any], expected: tuple[str, list[str]]
) -> None:
    lead_id = open_leads(shared_server.url)[0]["lead_id"]
    rows = count(shared_server.url, "lead_stages", lead_id)
    with shared_server.live.client(shared_server.connector_key) as client:
        result = send(client, CHANGE_LEAD_STAGE, {"leadId": str(lead_id), **change})
    assert only_error(result) == expected
    assert result["lead"] is None and result["changed"] is False
    assert count(shared_server.url, "lead_stages", lead_id) == rows


@pytest.mark.parametrize(
    ("which", "expected"),
    [
        ({}, ("INVALID", ["input", "leadId"])),
        ({"leadId": NO_SUCH_LEAD, "externalId": "x"}, ("INVALID", ["input", "externalId"])),
        ({"leadId": NO_SUCH_LEAD}, ("NOT_FOUND", ["input", "leadId"])),
        ({"externalId": "no-such-crm-contact"}, ("NOT_FOUND", ["input", "externalId"])),
    ],
    ids=["neither id", "both ids", "unknown leadId", "unknown externalId"],
)
def test_the_lead_must_be_named_once_and_exist(
    shared_server: SharedServer, which: dict[str, str], expected: tuple[str, list[str]]
) -> None:
    with shared_server.live.client(shared_server.connector_key) as client:
        result = send(client, CHANGE_LEAD_STAGE, {**which, "stage": "qualified"})
    assert only_error(result) == expected


# Ingest keys never reach a mutation other than tracking: tests/server/test_public_requests.py.
@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_roles_other_than_connector_and_admin_are_forbidden(shared_server: SharedServer, role: str) -> None:
    lead_id = open_leads(shared_server.url)[0]["lead_id"]
    rows = count(shared_server.url, "lead_stages", lead_id)
    with shared_server.live.client(key_maker(shared_server.url)(role)) as client:
        result = send(client, CHANGE_LEAD_STAGE, {"leadId": str(lead_id), "stage": "won"})
    assert only_error(result) == ("FORBIDDEN", None)
    assert result["lead"] is None
    assert count(shared_server.url, "lead_stages", lead_id) == rows
