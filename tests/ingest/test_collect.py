"""POST /collect: the script's beacons (text/plain), key in the query string, Origin checked, CORS, 204."""

import json
from typing import Any

import httpx
import pytest

from tests.conftest import KeyMaker
from tests.ingest.tracking import BROWSER, Site, counts
from tests.live import LiveServer, live_server
from tests.sql import execute, fetch, fetch_one

ORIGIN = "https://meusite.com.br"


@pytest.fixture
def site_key(site: Site, db_url: str, make_key: KeyMaker) -> str:
    key = make_key("ingest")
    execute(db_url, "UPDATE api_keys SET domain_id = $1", site.domain_id)
    execute(db_url, "UPDATE domains SET allowed_origins = $1", [ORIGIN, "https://www.meusite.com.br"])
    return key


def beacon(
    client: httpx.Client, key: str | None, payload: Any, origin: str | None = ORIGIN, ua: str = BROWSER
) -> httpx.Response:
    headers = {"Content-Type": "text/plain;charset=UTF-8", "User-Agent": ua}
    if origin is not None:
        headers["Origin"] = origin
    params = {} if key is None else {"key": key}
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post("/collect", params=params, content=body, headers=headers)


def test_a_visit_beacon_is_recorded_with_the_clients_ip_and_agent(
    server: LiveServer, site: Site, site_key: str, db_url: str
) -> None:
    with server.client() as client:
        response = beacon(client, site_key, {
            "type": "visit", "url": f"{ORIGIN}/oferta?utm_source=google&utm_campaign=bf&gclid=G1", "visitorId": "v-1",
        })  # fmt: skip

    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == ORIGIN
    capture = fetch_one(
        db_url, "SELECT utm_source, utm_campaign, gclid, host(client_ip) AS ip, user_agent FROM utm_tracking"
    )
    assert capture == {
        "utm_source": "google",
        "utm_campaign": "bf",
        "gclid": "G1",
        "ip": "127.0.0.1",
        "user_agent": BROWSER,
    }
    assert fetch_one(db_url, "SELECT visitor_id FROM sessions")["visitor_id"] == "v-1"


def test_events_and_a_lead_go_to_the_visitors_current_session(
    server: LiveServer, site: Site, site_key: str, db_url: str
) -> None:
    url = f"{ORIGIN}/oferta"
    with server.client() as client:
        visit = beacon(client, site_key, {"type": "visit", "url": url, "visitorId": "v-1"})
        events = beacon(client, site_key, {"type": "events", "url": url, "visitorId": "v-1",
                                            "events": [{"type": "click", "label": "Comprar"}, {"type": "scroll"}]})  # fmt: skip
        lead = beacon(client, site_key, {"type": "lead", "url": url, "visitorId": "v-1", "email": "Ana@Empresa.com.br",
                                          "adConsent": False, "idempotencyKey": "f1"})  # fmt: skip
        retried = beacon(client, site_key, {"type": "lead", "url": url, "visitorId": "v-1", "email": "ana@empresa.com.br",
                                             "idempotencyKey": "f1"})  # fmt: skip

    assert [r.status_code for r in (visit, events, lead, retried)] == [204] * 4
    session_id = fetch_one(db_url, "SELECT session_id FROM sessions")["session_id"]
    assert [e["session_id"] for e in fetch(db_url, "SELECT session_id FROM events")] == [session_id] * 2
    lead_row = fetch_one(db_url, "SELECT session_id, email, metadata::text FROM leads")
    assert lead_row["session_id"] == session_id and lead_row["email"] == "ana@empresa.com.br"
    assert json.loads(lead_row["metadata"]) == {"consent": {"adPlatforms": False}}


def test_a_bad_event_stores_none_and_the_answer_names_it(
    server: LiveServer, site: Site, site_key: str, db_url: str
) -> None:
    url = f"{ORIGIN}/"
    with server.client() as client:
        beacon(client, site_key, {"type": "visit", "url": url, "visitorId": "v-1"})
        response = beacon(client, site_key, {"type": "events", "url": url, "visitorId": "v-1",
                                              "events": [{"type": "click"}, {"type": ""}]})  # fmt: skip
        too_many = beacon(client, site_key, {"type": "events", "url": url, "visitorId": "v-1",
                                              "events": [{"type": "click"}] * 101})  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"message": "is blank", "extensions": {"code": "BAD_USER_INPUT", "field": ["events", "1", "type"]}}
    ]
    assert too_many.status_code == 400 and too_many.json()["errors"][0]["extensions"]["field"] == ["events"]
    assert counts(db_url)["events"] == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "pageview", "url": ORIGIN}, ["type"]),
        ({"type": "visit"}, ["url"]),
        ({"type": "visit", "url": ORIGIN, "utmSource": 7}, ["utmSource"]),
        ({"type": "visit", "url": ORIGIN, "colour": "red"}, ["colour"]),
        ({"type": "lead", "url": ORIGIN, "email": "a@b.com.br"}, ["visitorId"]),
        ({"type": "lead", "url": ORIGIN, "visitorId": "v-1", "email": "<script>@x.com"}, ["email"]),
        ([1, 2], []),
    ],
)
def test_bad_beacons_are_named(
    server: LiveServer, site: Site, site_key: str, db_url: str, payload: Any, field: list[str]
) -> None:
    with server.client() as client:
        response = beacon(client, site_key, payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert counts(db_url) == dict.fromkeys(counts(db_url), 0)


def test_not_json_too_large_no_key_wrong_key_and_wrong_role_are_refused(
    server: LiveServer, site: Site, site_key: str, db_url: str, make_key: KeyMaker
) -> None:
    visit = {"type": "visit", "url": f"{ORIGIN}/", "visitorId": "v-1"}
    with server.client() as client:
        assert beacon(client, site_key, b"{not json").status_code == 400
        assert beacon(client, site_key, b" " * 70_000).status_code == 413
        assert beacon(client, None, visit).status_code == 401
        assert beacon(client, "rst_unknown", visit).status_code == 401
        admin = beacon(client, make_key("admin"), visit)
    assert admin.status_code == 403 and "ingest keys only" in admin.json()["errors"][0]["message"]
    assert counts(db_url)["sessions"] == 0


@pytest.mark.parametrize("origin", ["https://evil.example", None, "null", "http://meusite.com.br"])
def test_other_origins_are_refused_and_nothing_is_stored(
    server: LiveServer, site: Site, site_key: str, db_url: str, origin: str | None
) -> None:
    with server.client() as client:
        response = beacon(
            client, site_key, {"type": "visit", "url": f"{ORIGIN}/", "visitorId": "v-1"}, origin
        )
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert counts(db_url)["sessions"] == 0


def test_preflight_is_answered_for_allowed_origins_only(
    server: LiveServer, site: Site, site_key: str
) -> None:
    def preflight(origin: str) -> httpx.Response:
        headers = {"Origin": origin, "Access-Control-Request-Method": "POST",
                   "Access-Control-Request-Headers": "content-type"}  # fmt: skip
        with server.client() as client:
            return client.options("/collect", params={"key": site_key}, headers=headers)

    allowed = preflight("https://www.meusite.com.br")
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "https://www.meusite.com.br"
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert "content-type" in allowed.headers["access-control-allow-headers"].lower()
    refused = preflight("https://evil.example")
    assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers


def test_a_key_of_one_domain_cannot_send_another_domains_visits(
    server: LiveServer, site: Site, site_key: str, db_url: str
) -> None:
    execute(db_url, "INSERT INTO domains (domain_name, domain_url, allowed_origins) VALUES ('outro.com.br', 'x', $1)",
            ["https://outro.com.br"])  # fmt: skip
    with server.client() as client:
        same_origin = beacon(
            client, site_key, {"type": "visit", "url": "https://outro.com.br/", "visitorId": "v"}
        )
        their_origin = beacon(client, site_key, {"type": "visit", "url": "https://outro.com.br/", "visitorId": "v"},
                              origin="https://outro.com.br")  # fmt: skip
    assert same_origin.status_code == 400 and same_origin.json()["errors"][0]["extensions"]["field"] == [
        "url"
    ]
    assert their_origin.status_code == 403
    assert counts(db_url)["sessions"] == 0


def test_crawlers_get_204_and_are_not_counted(
    server: LiveServer, site: Site, site_key: str, db_url: str
) -> None:
    with server.client() as client:
        response = beacon(client, site_key, {"type": "visit", "url": f"{ORIGIN}/", "visitorId": "v"},
                          ua="Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")  # fmt: skip
    assert response.status_code == 204
    assert counts(db_url)["sessions"] == 0


def test_rate_limits_per_ip_and_per_key_answer_429_with_retry_after(
    db_url: str, site: Site, site_key: str
) -> None:
    visit = {"type": "visit", "url": f"{ORIGIN}/", "visitorId": "v"}
    limits = {"ingest_rate_per_ip": "5/minute", "ingest_rate_per_key": "1000/minute"}
    with live_server(db_url, **limits) as live, live.client() as client:
        answers = [beacon(client, site_key, visit).status_code for _ in range(7)]
        limited = beacon(client, site_key, visit)
    assert answers == [204] * 5 + [429] * 2
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert fetch_one(db_url, "SELECT total_page_views FROM sessions")["total_page_views"] == 5

    limits = {"ingest_rate_per_ip": "1000/minute", "ingest_rate_per_key": "3/minute"}
    with live_server(db_url, **limits) as live, live.client() as client:
        answers = [beacon(client, site_key, visit).status_code for _ in range(4)]
        other_key = beacon(client, "rst_someone-else", visit).status_code
    assert answers == [204] * 3 + [429]
    assert other_key == 401  # another key has its own budget


def test_ingest_keys_on_graphql_have_the_per_key_limit_not_the_per_ip_one(
    db_url: str, site: Site, make_key: KeyMaker
) -> None:
    """Server-side senders send every visitor's tracking from one IP: only their key is limited."""
    from tests.ingest.tracking import visit

    key = make_key("ingest")
    limits = {"ingest_rate_per_ip": "2/minute", "ingest_rate_per_key": "4/minute"}
    with live_server(db_url, **limits) as live, live.client(key) as client:
        for n in range(4):
            assert visit(client, {"url": site.url(), "visitorId": f"v{n}"})["errors"] == []
        limited = client.post("/graphql", json={"query": "mutation { __typename }"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_50_parallel_beacons_of_a_visitor_make_one_session_ordered_1_to_50(
    server: LiveServer, site: Site, site_key: str, db_url: str
) -> None:
    import asyncio

    async def run() -> list[int]:
        headers = {"Content-Type": "text/plain", "Origin": ORIGIN, "User-Agent": BROWSER}
        async with server.async_client() as client:
            beacons = [
                client.post("/collect", params={"key": site_key}, headers=headers,
                            content=json.dumps({"type": "visit", "url": f"{ORIGIN}/p{n % 5}", "visitorId": "v"}))
                for n in range(50)
            ]  # fmt: skip
            return [r.status_code for r in await asyncio.gather(*beacons)]

    assert asyncio.run(run()) == [204] * 50
    orders = fetch(db_url, "SELECT view_order FROM page_views ORDER BY view_order")
    assert [o["view_order"] for o in orders] == list(range(1, 51))
    assert fetch_one(db_url, "SELECT count(*) AS n, sum(total_page_views) AS views FROM sessions") == {
        "n": 1,
        "views": 50,
    }
    assert fetch_one(db_url, "SELECT total_sessions, total_page_views FROM visitor_journeys") == {
        "total_sessions": 1, "total_page_views": 50,
    }  # fmt: skip
