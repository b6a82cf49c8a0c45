"""trackEvents: up to 100 events of a session, all stored or none, the bad one named."""

from typing import Any

import httpx
import pytest

from tests.ingest.tracking import TRACK_EVENTS, Site, counts, visit
from tests.mutations.graphql import only_error, send
from tests.sql import execute, fetch, fetch_one


def started(client: httpx.Client, site: Site) -> dict[str, Any]:
    visit(client, {"url": site.url("/oferta"), "visitorId": "v-1"})
    return visit(client, {"url": site.url("/precos"), "visitorId": "v-1"})


def test_events_are_stored_in_order_on_the_last_page_viewed(
    ingest: httpx.Client, site: Site, db_url: str
) -> None:
    result = started(ingest, site)
    execute(db_url, "UPDATE sessions SET last_activity_at = now() - interval '10 minutes'")
    events = [
        {"type": "click", "category": "cta", "action": "comprar", "label": "Comprar agora", "elementId": "buy",
         "elementClass": "btn btn-primary", "data": {"x": 10, "y": 20}},
        {"type": "scroll", "data": {"depth": 75}},
        {"type": "video_play"},
    ]  # fmt: skip

    answer = send(ingest, TRACK_EVENTS, {"sessionId": result["session"]["sessionId"], "events": events})

    assert answer["errors"] == [] and len(answer["eventIds"]) == 3
    stored = fetch(db_url, "SELECT * FROM events ORDER BY created_at, event_type")
    assert {str(e["event_id"]) for e in stored} == set(answer["eventIds"])
    click = next(e for e in stored if e["event_type"] == "click")
    assert (click["event_category"], click["event_action"], click["event_label"]) == (
        "cta",
        "comprar",
        "Comprar agora",
    )
    assert (click["element_id"], click["element_class"], click["event_data"]) == (
        "buy",
        "btn btn-primary",
        '{"x": 10, "y": 20}',
    )
    assert all(str(e["page_id"]) == result["pageView"]["pageId"] for e in stored)
    assert next(e for e in stored if e["event_type"] == "video_play")["event_data"] == "{}"
    idle = fetch_one(db_url, "SELECT now() - last_activity_at < interval '1 minute' AS fresh FROM sessions")
    assert idle["fresh"]  # events are activity: the session is not idle


# Lengths and e-mail shapes are refused before any mutation runs: tests/server/test_text_limits.py, test_emails.py.
@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"type": " "}, "type"),
        ({"type": "click", "data": [1, 2]}, "data"),
        ({"type": "click", "data": {"big": "x" * 9000}}, "data"),
    ],
)
def test_one_bad_event_stores_none_and_is_named(
    ingest: httpx.Client, site: Site, db_url: str, bad: dict[str, Any], field: str
) -> None:
    session_id = started(ingest, site)["session"]["sessionId"]
    events = [{"type": "click"}, {"type": "scroll"}, bad, {"type": "download"}]

    answer = send(ingest, TRACK_EVENTS, {"sessionId": session_id, "events": events})

    assert answer["eventIds"] == []
    assert only_error(answer) == ("INVALID", ["input", "events", "2", field])
    assert counts(db_url)["events"] == 0


def test_100_events_per_call_at_most(ingest: httpx.Client, site: Site, db_url: str) -> None:
    session_id = started(ingest, site)["session"]["sessionId"]
    hundred = send(ingest, TRACK_EVENTS, {"sessionId": session_id, "events": [{"type": "click"}] * 100})
    too_many = send(ingest, TRACK_EVENTS, {"sessionId": session_id, "events": [{"type": "click"}] * 101})
    assert len(hundred["eventIds"]) == 100
    assert only_error(too_many) == ("INVALID", ["input", "events"])
    assert "100" in too_many["errors"][0]["message"]
    assert counts(db_url)["events"] == 100


def test_events_of_an_unknown_session_are_refused(ingest: httpx.Client, site: Site, db_url: str) -> None:
    answer = send(ingest, TRACK_EVENTS, {"sessionId": "no-such-session", "events": [{"type": "click"}]})
    assert only_error(answer) == ("NOT_FOUND", ["input", "sessionId"])
    assert counts(db_url)["events"] == 0
