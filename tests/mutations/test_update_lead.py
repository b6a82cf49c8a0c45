"""updateLead: only given fields change, personal data is normalized and hashed, metadata is checked."""

import hashlib
import json
from typing import Any

import pytest

from tests.conftest import KeyMaker, key_maker
from tests.live import LiveServer
from tests.mutations.conftest import SharedServer
from tests.mutations.db import fetch_one, open_leads
from tests.mutations.graphql import CHANGE_LEAD_STAGE, UPDATE_LEAD, only_error, send

LEAD = "SELECT * FROM leads WHERE lead_id = $1"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def update(server: LiveServer, key: str, lead_id: Any, **fields: Any) -> dict[str, Any]:
    with server.client(key) as client:
        return send(client, UPDATE_LEAD, {"leadId": str(lead_id), **fields})


def test_only_the_fields_given_change(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    before = fetch_one(seeded_db_url, LEAD, lead_id)
    result = update(
        seeded_server, make_seeded_key("connector"), lead_id, company="Empresa Nova Ltda", leadScore="B"
    )
    assert result == {"lead": {"leadId": str(lead_id)}, "errors": []}
    after = fetch_one(seeded_db_url, LEAD, lead_id)
    assert (after["company"], after["lead_score"]) == ("Empresa Nova Ltda", "B")
    unchanged = set(before) - {"company", "lead_score", "updated_at"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}


def test_email_is_normalized_hashed_and_classified(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    key = make_seeded_key("connector")
    update(seeded_server, key, lead_id, email="  Maria.Silva@Empresa.COM.br ")
    lead = fetch_one(seeded_db_url, LEAD, lead_id)
    assert (lead["email"], lead["hashed_email"]) == (
        "maria.silva@empresa.com.br",
        sha256("maria.silva@empresa.com.br"),
    )
    assert (lead["email_domain"], lead["is_business_email"]) == ("empresa.com.br", True)
    update(seeded_server, key, lead_id, email="maria@Gmail.com")
    lead = fetch_one(seeded_db_url, LEAD, lead_id)
    assert (lead["email_domain"], lead["is_business_email"]) == ("gmail.com", False)


@pytest.mark.parametrize(
    ("given", "stored", "hashed"),
    [
        ("(11) 98765-4321", "+5511987654321", "5511987654321"),
        ("+55 21 3456-7890", "+552134567890", "552134567890"),
        ("0 15 11 98765-4321", "+5511987654321", "5511987654321"),
        ("11 8765-4321", "+5511987654321", "5511987654321"),
        ("+351 912 345 678", "+351912345678", "351912345678"),
    ],
)
def test_phone_is_stored_in_e164_and_hashed_as_digits(
    shared_server: SharedServer, given: str, stored: str, hashed: str
) -> None:
    lead_id = open_leads(shared_server.url)[0]["lead_id"]
    result = update(shared_server.live, shared_server.connector_key, lead_id, phone=given)
    assert result["errors"] == []
    lead = fetch_one(shared_server.url, LEAD, lead_id)
    assert (lead["phone"], lead["hashed_phone"]) == (stored, sha256(hashed))


def test_null_clears_a_field_and_what_derives_from_it(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    update(seeded_server, make_seeded_key("connector"), lead_id, email=None, phone=None, name=None)
    lead = fetch_one(seeded_db_url, LEAD, lead_id)
    cleared = ("email", "hashed_email", "email_domain", "phone", "hashed_phone", "name")
    assert {column: lead[column] for column in cleared} == dict.fromkeys(cleared)
    assert lead["is_business_email"] is False


def test_metadata_fields_given_replace_the_stored_ones_and_null_removes(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    before = json.loads(fetch_one(seeded_db_url, LEAD, lead_id)["metadata"])
    metadata = {
        "scoring": {"total": 91, "behavioral": None},
        "qualification": None,
        "enrichment": {"technologies": ["SAP"]},
    }
    result = update(seeded_server, make_seeded_key("connector"), lead_id, metadata=metadata)
    assert result["errors"] == []
    after = json.loads(fetch_one(seeded_db_url, LEAD, lead_id)["metadata"])
    scoring = {key: value for key, value in before["scoring"].items() if key != "behavioral"}
    assert after == {
        "scoring": {**scoring, "total": 91},
        "enrichment": {**before["enrichment"], "technologies": ["SAP"]},
    }


def test_a_new_external_id_taken_by_another_lead_is_a_conflict(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    first, second = open_leads(seeded_db_url)[:2]
    key = make_seeded_key("connector")
    assert update(seeded_server, key, first["lead_id"], newExternalId="hubspot-contact-77")["errors"] == []
    clash = update(seeded_server, key, second["lead_id"], newExternalId="hubspot-contact-77")
    assert only_error(clash) == ("CONFLICT", ["input", "newExternalId"])
    with seeded_server.client(key) as client:
        moved = send(client, CHANGE_LEAD_STAGE, {"externalId": "hubspot-contact-77", "stage": "qualified"})
    assert moved["lead"] == {"leadId": str(first["lead_id"])}


INVALID_UPDATES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("unknown metadata section", {"metadata": {"crm": {}}}, ["input", "metadata", "crm"]),
    ("unknown metadata field", {"metadata": {"scoring": {"age": 3}}}, ["input", "metadata", "scoring", "age"]),
    ("score out of range", {"metadata": {"scoring": {"total": 101}}}, ["input", "metadata", "scoring", "total"]),
    ("score not an integer", {"metadata": {"scoring": {"total": "90"}}}, ["input", "metadata", "scoring", "total"]),
    ("text not a string", {"metadata": {"qualification": {"budget": 10}}}, ["input", "metadata", "qualification", "budget"]),
    ("list of non-strings", {"metadata": {"enrichment": {"technologies": [1]}}}, ["input", "metadata", "enrichment", "technologies"]),
    ("section not an object", {"metadata": {"scoring": 5}}, ["input", "metadata", "scoring"]),
    ("metadata not an object", {"metadata": [1]}, ["input", "metadata"]),
    ("metadata null", {"metadata": None}, ["input", "metadata"]),
    ("phone with letters", {"phone": "11 9876-ABCD"}, ["input", "phone"]),
    ("phone without area code", {"phone": "98765-4321"}, ["input", "phone"]),
    ("phone with an unused area code", {"phone": "(20) 98765-4321"}, ["input", "phone"]),
    ("blank name", {"name": " "}, ["input", "name"]),
    ("blank new external id", {"newExternalId": ""}, ["input", "newExternalId"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"), [case[1:] for case in INVALID_UPDATES], ids=[case[0] for case in INVALID_UPDATES]
)
def test_each_invalid_value_comes_back_with_its_field(
    shared_server: SharedServer, change: dict[str, Any], field: list[str]
) -> None:
    lead_id = open_leads(shared_server.url)[0]["lead_id"]
    before = fetch_one(shared_server.url, LEAD, lead_id)
    result = update(shared_server.live, shared_server.connector_key, lead_id, company="Changed Too", **change)
    assert only_error(result) == ("INVALID", field)
    assert result["lead"] is None
    assert fetch_one(shared_server.url, LEAD, lead_id) == before  # not even the valid field changed


# Ingest keys never reach a mutation other than tracking: tests/server/test_public_requests.py.
@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_roles_other_than_connector_and_admin_are_forbidden(shared_server: SharedServer, role: str) -> None:
    lead_id = open_leads(shared_server.url)[0]["lead_id"]
    before = fetch_one(shared_server.url, LEAD, lead_id)
    result = update(shared_server.live, key_maker(shared_server.url)(role), lead_id, company="Nope")
    assert only_error(result) == ("FORBIDDEN", None)
    assert fetch_one(shared_server.url, LEAD, lead_id) == before
