"""Connectors retry and run in parallel: real concurrent HTTP requests to the running app."""

import asyncio
import base64
import datetime as dt
import random
from collections import Counter
from typing import Any

import httpx

from tests.conftest import KeyMaker
from tests.live import LiveServer
from tests.mutations.db import count, fetch, fetch_one, open_leads, set_click_ids
from tests.mutations.graphql import (
    CHANGE_LEAD_STAGE,
    REGISTER_OFFLINE_CONVERSION,
    UPDATE_LEAD,
    Mutation,
    send_async,
)


def at_once(
    server: LiveServer, key: str, mutation: Mutation, inputs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        async with server.async_client(key) as client:
            return await asyncio.gather(*(send_async(client, mutation, input) for input in inputs))

    return asyncio.run(run())


def won_stages(url: str, lead_id: Any) -> int:
    query = "SELECT count(*) AS n FROM lead_stages WHERE lead_id = $1 AND stage_name = 'won'"
    return int(fetch_one(url, query, lead_id)["n"])


def test_fifty_identical_registrations_write_one_conversion(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead = open_leads(seeded_db_url)[0]
    lead_id = lead["lead_id"]
    set_click_ids(seeded_db_url, lead["utm_tracking_id"], gclid="G-50", fbclid="FB-50")
    won_before = won_stages(seeded_db_url, lead_id)
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)).isoformat()
    sale = {"leadId": str(lead_id), "value": "4990.00", "conversionDate": when}

    results = at_once(seeded_server, make_seeded_key("connector"), REGISTER_OFFLINE_CONVERSION, [sale] * 50)

    assert [result["errors"] for result in results] == [[]] * 50
    assert Counter(result["created"] for result in results) == {True: 1, False: 49}
    assert len({result["conversion"]["conversionId"] for result in results}) == 1
    assert count(seeded_db_url, "offline_conversions", lead_id) == 1
    assert won_stages(seeded_db_url, lead_id) == won_before + 1
    outbox = fetch(
        seeded_db_url,
        "SELECT platform FROM conversion_outbox o JOIN offline_conversions c USING (conversion_id)"
        " WHERE c.lead_id = $1 ORDER BY platform",
        lead_id,
    )
    # Every platform is pending: the lead has a hashed e-mail, which each of them matches on.
    assert [row["platform"] for row in outbox] == ["google_ads", "linkedin", "meta", "tiktok"]


def current_stage_id(server: LiveServer, key: str, lead_id: Any) -> str:
    global_id = base64.b64encode(f"Lead:{lead_id}".encode()).decode()
    query = "query($id: ID!) { node(id: $id) { ... on Lead { currentStage { stageId } } } }"
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}) as client:
        answer = client.post("/graphql", json={"query": query, "variables": {"id": global_id}}).json()
    assert "errors" not in answer, answer
    stage_id: str = answer["data"]["node"]["currentStage"]["stageId"]
    return stage_id


def test_twenty_concurrent_stage_changes_are_all_kept_and_the_latest_is_current(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    rows_before = count(seeded_db_url, "lead_stages", lead_id)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    changes = [
        {
            "leadId": str(lead_id),
            "stage": ("qualified", "proposal", "negotiation", "new")[n % 4],
            "value": f"{1000 + n}.00",
            "occurredAt": (start + dt.timedelta(minutes=n)).isoformat(),
        }
        for n in range(20)
    ]
    random.Random(20).shuffle(changes)  # arrival order is not time order
    key = make_seeded_key("connector")

    results = at_once(seeded_server, key, CHANGE_LEAD_STAGE, changes)

    assert all(result["errors"] == [] and result["changed"] for result in results)
    assert count(seeded_db_url, "lead_stages", lead_id) == rows_before + 20
    written = fetch(
        seeded_db_url,
        "SELECT stage_id, stage_value::text AS value FROM lead_stages WHERE lead_id = $1 AND created_at >= $2"
        " ORDER BY created_at DESC, stage_id DESC",
        lead_id,
        start,
    )
    assert sorted(row["value"] for row in written) == sorted(
        change["value"] for change in changes
    )  # no lost update
    assert written[0]["value"] == "1019.00"
    assert current_stage_id(seeded_server, key, lead_id) == str(written[0]["stage_id"])


def test_ten_identical_stage_changes_at_once_append_one_row(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    lead_id = open_leads(seeded_db_url)[0]["lead_id"]
    rows_before = count(seeded_db_url, "lead_stages", lead_id)
    occurred_at = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    change = {"leadId": str(lead_id), "stage": "proposal", "value": "720.00", "occurredAt": occurred_at}

    results = at_once(seeded_server, make_seeded_key("connector"), CHANGE_LEAD_STAGE, [change] * 10)

    assert Counter(result["changed"] for result in results) == {True: 1, False: 9}
    assert len({result["stage"]["stageId"] for result in results}) == 1
    assert count(seeded_db_url, "lead_stages", lead_id) == rows_before + 1


def test_leads_racing_for_one_external_id_leave_it_to_exactly_one(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    leads = fetch(seeded_db_url, "SELECT lead_id FROM leads ORDER BY lead_id LIMIT 8")
    claims = [{"leadId": str(lead["lead_id"]), "newExternalId": "pipedrive-person-1"} for lead in leads]

    results = at_once(seeded_server, make_seeded_key("connector"), UPDATE_LEAD, claims)

    codes = Counter(result["errors"][0]["code"] if result["errors"] else "OK" for result in results)
    assert codes == {"OK": 1, "CONFLICT": len(leads) - 1}
    holders = fetch(seeded_db_url, "SELECT lead_id FROM leads WHERE external_id = 'pipedrive-person-1'")
    assert len(holders) == 1
