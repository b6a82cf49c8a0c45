"""Tracking under real concurrent HTTP requests: one session per visitor, exact orders and counters."""

import asyncio
from typing import Any

from tests.conftest import KeyMaker
from tests.ingest.tracking import CAPTURE_LEAD, Site, visit_async
from tests.live import LiveServer
from tests.mutations.graphql import send_async
from tests.sql import fetch, fetch_one


async def _all(coroutines: list[Any]) -> list[dict[str, Any]]:
    return list(await asyncio.gather(*coroutines))


def test_100_parallel_first_views_of_a_visitor_make_one_session_ordered_1_to_100(
    server: LiveServer, make_key: KeyMaker, site: Site, db_url: str
) -> None:
    key = make_key("ingest")

    async def run() -> list[dict[str, Any]]:
        async with server.async_client(key) as client:
            return await _all(
                [visit_async(client, {"url": site.url(f"/p{i % 7}"), "visitorId": "v-1"}) for i in range(100)]
            )

    results = asyncio.run(run())

    assert all(r["errors"] == [] for r in results)
    assert len({r["session"]["sessionId"] for r in results}) == 1
    assert sum(r["session"]["isNew"] for r in results) == 1
    assert sorted(r["pageView"]["viewOrder"] for r in results) == list(range(1, 101))
    orders = fetch(db_url, "SELECT view_order FROM page_views ORDER BY view_order")
    assert [o["view_order"] for o in orders] == list(range(1, 101))
    session = fetch_one(db_url, "SELECT total_page_views, last_activity_at, started_at FROM sessions")
    assert session["total_page_views"] == 100
    assert session["last_activity_at"] >= session["started_at"]
    journey = fetch_one(db_url, "SELECT total_sessions, total_page_views FROM visitor_journeys")
    assert journey == {"total_sessions": 1, "total_page_views": 100}
    assert fetch_one(db_url, "SELECT count(*) AS n FROM landing_pages")["n"] == 7  # one per new URL
    assert fetch_one(db_url, "SELECT count(*) AS n FROM utm_tracking")["n"] == 1


def test_parallel_visitors_each_get_exact_sessions_and_journeys(
    server: LiveServer, make_key: KeyMaker, site: Site, db_url: str
) -> None:
    key = make_key("ingest")

    async def run() -> None:
        async with server.async_client(key) as client:
            await _all(
                [visit_async(client, {"url": site.url(), "visitorId": f"v-{i % 20}"}) for i in range(100)]
            )

    asyncio.run(run())

    sessions = fetch(db_url, "SELECT visitor_id, total_page_views FROM sessions ORDER BY visitor_id")
    assert len(sessions) == 20 and all(s["total_page_views"] == 5 for s in sessions)
    journeys = fetch(db_url, "SELECT total_sessions, total_page_views FROM visitor_journeys")
    assert len(journeys) == 20
    assert all((j["total_sessions"], j["total_page_views"]) == (1, 5) for j in journeys)


def test_a_submit_retried_in_parallel_makes_one_lead(
    server: LiveServer, make_key: KeyMaker, site: Site, db_url: str
) -> None:
    key = make_key("ingest")

    async def run() -> list[dict[str, Any]]:
        async with server.async_client(key) as client:
            first = await visit_async(client, {"url": site.url(), "visitorId": "v-1"})
            lead = {"sessionId": first["session"]["sessionId"], "email": "ana@empresa.com.br"}
            return await _all([send_async(client, CAPTURE_LEAD, lead) for _ in range(20)])

    results = asyncio.run(run())

    assert len({r["lead"]["leadId"] for r in results}) == 1
    assert sum(r["lead"]["created"] for r in results) == 1
    assert fetch_one(db_url, "SELECT count(*) AS n FROM leads")["n"] == 1
    assert fetch_one(db_url, "SELECT count(*) AS n FROM lead_stages")["n"] == 1


def test_leads_and_page_views_of_one_visitor_racing_each_other_all_succeed(
    server: LiveServer, make_key: KeyMaker, site: Site, db_url: str
) -> None:
    key = make_key("ingest")

    async def run() -> list[dict[str, Any]]:
        async with server.async_client(key) as client:
            first = await visit_async(client, {"url": site.url(), "visitorId": "v-1"})
            session_id = first["session"]["sessionId"]
            racing = []
            for i in range(30):
                racing.append(visit_async(client, {"url": site.url(f"/p{i}"), "visitorId": "v-1"}))
                lead = {"sessionId": session_id, "email": f"lead{i}@empresa.com.br"}
                racing.append(send_async(client, CAPTURE_LEAD, lead))
            return await _all(racing)

    results = asyncio.run(run())

    assert [r for r in results if r.get("errors")] == []
    assert fetch_one(db_url, "SELECT count(*) AS n FROM leads")["n"] == 30
    assert fetch_one(db_url, "SELECT total_page_views AS n FROM sessions")["n"] == 31
    journey = fetch_one(db_url, "SELECT converted, total_page_views FROM visitor_journeys")
    assert journey == {"converted": True, "total_page_views": 31}
