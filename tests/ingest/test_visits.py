"""trackVisit: sessions by the rules, UTM captures, page views, journeys and landing pages, as stored."""

import hashlib

import httpx
import pytest

from tests.conftest import KeyMaker
from tests.ingest.tracking import (
    BROWSER,
    CLIENT,
    PHONE_BROWSER,
    TRACK_VISIT,
    Site,
    counts,
    make_domain,
    visit,
)
from tests.live import LiveServer
from tests.mutations.graphql import only_error, send
from tests.sql import execute, fetch, fetch_one

UTMS = "utm_source=google&utm_medium=cpc&utm_campaign=black-friday&utm_content=banner-a&gclid=Cj0KCQ-abc"


def test_a_first_visit_starts_a_session_with_its_capture_page_view_journey_and_page(
    ingest: httpx.Client, site: Site, db_url: str
) -> None:
    result = visit(
        ingest, {"url": site.url("/oferta/", UTMS + "&gbraid=0AAAA&ref=x#top"), "visitorId": "v-1"}
    )

    assert result["errors"] == [] and result["counted"] is True
    session = result["session"]
    assert session["visitorId"] == "v-1" and session["isNew"] is True
    assert result["pageView"]["viewOrder"] == 1
    stored = fetch_one(db_url, "SELECT * FROM sessions")
    assert stored["session_id"] == session["sessionId"]
    assert (stored["domain_id"], stored["visitor_id"], stored["total_page_views"]) == (
        site.domain_id,
        "v-1",
        1,
    )
    page = fetch_one(db_url, "SELECT * FROM landing_pages")
    assert (page["domain_id"], page["page_url"]) == (site.domain_id, "/oferta")  # no query, no trailing /
    assert str(page["page_id"]) == result["pageView"]["pageId"] == str(stored["first_page_id"])
    capture = fetch_one(db_url, "SELECT * FROM utm_tracking")
    assert (capture["utm_source"], capture["utm_medium"], capture["utm_campaign"]) == (
        "google",
        "cpc",
        "black-friday",
    )
    assert (capture["utm_content"], capture["gclid"], capture["page_id"]) == (
        "banner-a",
        "Cj0KCQ-abc",
        page["page_id"],
    )
    assert (str(capture["client_ip"]), capture["user_agent"], capture["device"]) == (
        "203.0.113.7",
        BROWSER,
        "desktop",
    )
    assert '"gbraid": "0AAAA"' in capture["url_params"] and '"ref": "x"' in capture["url_params"]
    view = fetch_one(db_url, "SELECT * FROM page_views")
    assert (view["session_id"], view["view_order"], str(view["view_id"])) == (
        session["sessionId"], 1, result["pageView"]["viewId"],
    )  # fmt: skip
    journey = fetch_one(db_url, "SELECT * FROM visitor_journeys")
    assert (journey["visitor_id"], journey["total_sessions"], journey["total_page_views"]) == ("v-1", 1, 1)
    assert journey["converted"] is False


def test_later_visits_continue_the_session_and_count_in_it_and_the_journey(
    ingest: httpx.Client, site: Site, db_url: str
) -> None:
    first = visit(ingest, {"url": site.url("/oferta", UTMS), "visitorId": "v-1"})
    second = visit(ingest, {"url": site.url("/precos"), "visitorId": "v-1"})
    third = visit(ingest, {"url": site.url("/oferta", UTMS), "visitorId": "v-1"})  # a reload: same campaign

    assert second["session"] == {**first["session"], "isNew": False} == {**third["session"], "isNew": False}
    assert [r["pageView"]["viewOrder"] for r in (first, second, third)] == [1, 2, 3]
    assert fetch_one(db_url, "SELECT total_page_views FROM sessions")["total_page_views"] == 3
    journey = fetch_one(db_url, "SELECT total_sessions, total_page_views FROM visitor_journeys")
    assert journey == {"total_sessions": 1, "total_page_views": 3}
    assert counts(db_url)["landing_pages"] == 2
    # The first capture stays as it was; the reload with UTMs added a row, the plain visit none.
    captures = fetch(db_url, "SELECT utm_campaign, gclid FROM utm_tracking ORDER BY created_at")
    assert captures == [{"utm_campaign": "black-friday", "gclid": "Cj0KCQ-abc"}] * 2


@pytest.mark.parametrize(
    ("arrange", "query"),
    [
        ("UPDATE sessions SET last_activity_at = now() - interval '31 minutes'", ""),
        ("UPDATE sessions SET started_at = now() - interval '24 hours 1 minute'", ""),
        ("", "utm_source=meta&utm_campaign=natal"),
        ("", "gclid=another-click"),
        ("", "fbclid=a-meta-click"),
        ("", "msclkid=a-bing-click"),
    ],
    ids=["idle-30-min", "older-than-24-h", "new-campaign", "new-gclid", "new-fbclid", "new-msclkid"],
)
def test_idle_old_or_new_campaign_or_click_id_start_a_new_session(
    ingest: httpx.Client, site: Site, db_url: str, arrange: str, query: str
) -> None:
    first = visit(ingest, {"url": site.url("/oferta", UTMS), "visitorId": "v-1"})
    if arrange:
        execute(db_url, arrange)

    second = visit(ingest, {"url": site.url("/oferta", query), "visitorId": "v-1"})

    assert second["session"]["isNew"] is True
    assert second["session"]["sessionId"] != first["session"]["sessionId"]
    assert second["pageView"]["viewOrder"] == 1
    journey = fetch_one(db_url, "SELECT total_sessions, total_page_views FROM visitor_journeys")
    assert journey == {"total_sessions": 2, "total_page_views": 2}
    assert counts(db_url)["utm_tracking"] == 2  # each session has its first capture


def test_29_idle_minutes_still_continue(ingest: httpx.Client, site: Site, db_url: str) -> None:
    first = visit(ingest, {"url": site.url(), "visitorId": "v-1"})
    execute(db_url, "UPDATE sessions SET last_activity_at = now() - interval '29 minutes'")
    second = visit(ingest, {"url": site.url(), "visitorId": "v-1"})
    assert second["session"]["sessionId"] == first["session"]["sessionId"]


def test_without_a_visitor_id_the_server_uses_a_salted_hash_without_the_ip(
    ingest: httpx.Client, site: Site, db_url: str
) -> None:
    first = visit(ingest, {"url": site.url()})
    again = visit(ingest, {"url": site.url("/precos")})
    other_device = visit(ingest, {"url": site.url(), "client": {**CLIENT, "userAgent": PHONE_BROWSER}})

    visitor = first["session"]["visitorId"]
    assert again["session"] == {**first["session"], "isNew": False}
    assert other_device["session"]["visitorId"] != visitor
    assert "203.0.113.7" not in visitor
    unsalted = hashlib.sha256(f"203.0.113.7{BROWSER}{site.name}".encode()).hexdigest()
    assert unsalted[:40] not in visitor
    salt = fetch_one(db_url, "SELECT visitor_salt FROM rastro_instance")["visitor_salt"]
    assert len(salt) >= 32


def test_www_host_is_the_registered_domain_and_the_variant_picks_the_ab_page(
    ingest: httpx.Client, site: Site, db_url: str
) -> None:
    execute(
        db_url,
        "INSERT INTO landing_pages (domain_id, page_url, page_variant, is_control, ab_test_id)"
        " VALUES ($1, '/lp', 'A', true, $2), ($1, '/lp', 'B', false, $2)",
        site.domain_id, site.domain_id,
    )  # fmt: skip
    control = visit(ingest, {"url": f"https://www.{site.name}/lp", "visitorId": "v-1"})
    variant = visit(ingest, {"url": f"https://{site.name}/lp", "visitorId": "v-2", "pageVariant": "B"})

    pages = {r["page_variant"]: str(r["page_id"]) for r in fetch(db_url, "SELECT * FROM landing_pages")}
    assert control["pageView"]["pageId"] == pages["A"] and variant["pageView"]["pageId"] == pages["B"]
    assert counts(db_url)["landing_pages"] == 2


@pytest.mark.parametrize("active", [True, False], ids=["unknown-domain", "inactive-domain"])
def test_visits_to_unknown_or_inactive_domains_are_refused_and_store_nothing(
    ingest: httpx.Client, db_url: str, active: bool
) -> None:
    make_domain(db_url, "parado.com.br", active=False)
    host = "desconhecido.com.br" if active else "parado.com.br"
    before = counts(db_url)

    result = visit(ingest, {"url": f"https://{host}/oferta", "visitorId": "v-1"})

    assert result["session"] is None
    assert only_error(result) == ("INVALID", ["input", "url"])
    assert host in result["errors"][0]["message"]
    assert counts(db_url) == before


# Lengths and e-mail shapes are refused before any mutation runs: tests/server/test_text_limits.py, test_emails.py.
@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"url": "meusite.com.br/oferta"}, ["input", "url"]),
        ({"url": "ftp://meusite.com.br/oferta"}, ["input", "url"]),
        ({"visitorId": " "}, ["input", "visitorId"]),
        ({"url": "https://meusite.com.br/?utm_campaign=" + "c" * 256}, ["input", "utmCampaign"]),
        ({"client": {"clientIp": "999.1.1.1"}}, ["input", "clientIp"]),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_stored(
    ingest: httpx.Client, site: Site, db_url: str, input: dict[str, object], field: list[str]
) -> None:
    result = visit(ingest, {"url": site.url(), "visitorId": "v-1", **input})
    assert result["session"] is None
    assert only_error(result) == ("INVALID", field)
    assert counts(db_url) == dict.fromkeys(counts(db_url), 0)


@pytest.mark.parametrize("role", ["viewer", "connector", "analyst"])
def test_other_roles_may_not_track(server: LiveServer, make_key: KeyMaker, site: Site, role: str) -> None:
    with server.client(make_key(role)) as client:
        result = send(client, TRACK_VISIT, {"url": site.url()})
    assert only_error(result) == ("FORBIDDEN", None)


def test_admins_may_track(server: LiveServer, make_key: KeyMaker, site: Site) -> None:
    with server.client(make_key("admin")) as client:
        assert visit(client, {"url": site.url()})["pageView"]["viewOrder"] == 1


def test_crawlers_are_answered_but_not_counted(ingest: httpx.Client, site: Site, db_url: str) -> None:
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    result = visit(ingest, {"url": site.url(), "client": {"userAgent": googlebot}})
    assert (result["counted"], result["session"], result["errors"]) == (False, None, [])
    assert counts(db_url) == dict.fromkeys(counts(db_url), 0)


def test_the_crawler_list_is_configurable(db_url: str, make_key: KeyMaker, site: Site) -> None:
    from tests.live import live_server

    with (
        live_server(db_url, bot_user_agents=["MeuMonitor"]) as live,
        live.client(make_key("ingest")) as client,
    ):
        monitor = visit(client, {"url": site.url(), "client": {"userAgent": "MeuMonitor/1.0"}})
        googlebot = visit(client, {"url": site.url(), "client": {"userAgent": "Googlebot/2.1"}})
    assert monitor["counted"] is False and googlebot["counted"] is True


def test_the_viewer_role_does_not_see_the_captured_ip_or_user_agent(
    ingest: httpx.Client, server: LiveServer, make_key: KeyMaker, site: Site
) -> None:
    visit(ingest, {"url": site.url("/oferta", UTMS), "visitorId": "v-1"})
    query = "{ sessions(first: 5) { nodes { utmTrackings { nodes { clientIp userAgent utmSource } } } } }"

    def captures(role: str) -> list[dict[str, object]]:
        with server.client(make_key(role)) as client:
            data = client.post("/graphql", json={"query": query}).json()["data"]
        return [u for s in data["sessions"]["nodes"] for u in s["utmTrackings"]["nodes"]]

    assert captures("viewer") == [{"clientIp": None, "userAgent": None, "utmSource": "google"}]
    assert captures("analyst") == [{"clientIp": "203.0.113.7", "userAgent": BROWSER, "utmSource": "google"}]
