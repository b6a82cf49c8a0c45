"""Stages of the same instant: the one recorded later is in effect, on every read path and in mutations."""

import datetime as dt

from tests.conftest import KeyMaker
from tests.graphql_http import gql_data
from tests.live import LiveServer
from tests.mutations.db import open_leads
from tests.mutations.graphql import CHANGE_LEAD_STAGE, REGISTER_OFFLINE_CONVERSION, send

LEAD = """query($id: UUID!) { lead(leadId: $id) {
  currentStage { stageName } stages { nodes { stageName } } } }"""
WON_LEADS = """query($after: String) {
  leads(filter: {currentStage: {eq: "won"}}, first: 100, after: $after) {
    nodes { leadId } pageInfo { hasNextPage endCursor } } }"""


def won_lead_ids(server: LiveServer, key: str) -> set[str]:
    found: set[str] = set()
    after = None
    while True:
        page = gql_data(server, key, WON_LEADS, after=after)["leads"]
        found |= {node["leadId"] for node in page["nodes"]}
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def test_a_sale_at_the_same_instant_as_a_proposal_leaves_every_lead_won(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    leads = [str(lead["lead_id"]) for lead in open_leads(seeded_db_url)[:3]]
    viewer = make_seeded_key("viewer")
    with seeded_server.client(make_seeded_key("connector")) as client:
        for round in range(3):  # 9 ties in all: the random order of stage ids got 3 of 9 wrong
            instant = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3 - round)).replace(microsecond=0)
            for lead_id in leads:
                proposal = {"leadId": lead_id, "stage": "proposal", "occurredAt": instant.isoformat()}
                assert send(client, CHANGE_LEAD_STAGE, {**proposal, "reopen": True})["changed"] is True
                sale = {"leadId": lead_id, "value": "1500.00", "conversionDate": instant.isoformat()}
                sale["conversionName"] = f"purchase-{round}"
                assert send(client, REGISTER_OFFLINE_CONVERSION, sale)["created"] is True
                lead = gql_data(seeded_server, viewer, LEAD, id=lead_id)["lead"]
                assert lead["currentStage"] == {"stageName": "won"}, (round, lead_id)
                assert [s["stageName"] for s in lead["stages"]["nodes"]][-2:] == ["proposal", "won"]
    assert set(leads) <= won_lead_ids(seeded_server, viewer)


def test_moving_back_at_the_same_instant_is_kept_and_a_repeat_of_the_current_stage_changes_nothing(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = str(open_leads(seeded_db_url)[0]["lead_id"])
    instant = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    viewer = make_seeded_key("viewer")
    with seeded_server.client(make_seeded_key("connector")) as client:
        for stage, changed in (("negotiation", True), ("qualified", True), ("qualified", False)):
            entry = {"leadId": lead_id, "stage": stage, "occurredAt": instant}
            assert send(client, CHANGE_LEAD_STAGE, entry)["changed"] is changed, stage
            lead = gql_data(seeded_server, viewer, LEAD, id=lead_id)["lead"]
            assert lead["currentStage"] == {"stageName": stage}
