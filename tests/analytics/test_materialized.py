"""Reports served from materialized views: stale until `rastro refresh-analytics`, then current, and equal
to the same report read live from the tables, whatever the period and time zone."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from resolvers.analytics.materialized import VIEWS
from tests import pg
from tests.analytics.examples import canonical, report
from tests.conftest import key_maker
from tests.live import LiveServer, live_server
from tests.server.test_cli import rastro
from tests.sql import execute, fetch_one

FUNNEL = "pageName pageVariant visitors formStarts leads"
AB = "pageId visitors leads conversions"
MODELS = "key lastTouch { conversions revenue } timeDecay { revenue } positionBased { revenue }"
CAMPAIGNS = (
    "utmCampaign utmSource utmMedium totalSessions totalLeads totalSales totalRevenue avgTimeToConversion"
)
CHANNELS = "channel utmSource utmMedium sessions leads sales revenue cost"
VIEW_REPORTS = (
    ("landingPageFunnel", FUNNEL),
    ("abTests", AB),
    ("compareModels", MODELS),
    ("campaignPerformance", CAMPAIGNS),
    ("channelRoi", CHANNELS),
)
# Day 1, 3 (and 5) at noon in São Paulo: a session seen on days 1 and 3 was not seen on day 2.
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def fresh_db(pg_url: str, seeded_template: str) -> Iterator[str]:
    name = pg.unique_name("rastro_views")
    yield pg.create_database(pg_url, name, template=seeded_template)
    pg.drop_database(pg_url, name)


@pytest.fixture
def served(fresh_db: str) -> Iterator[tuple[LiveServer, str]]:
    with live_server(fresh_db) as live:
        yield live, key_maker(fresh_db)("analyst")


def variant(url: str) -> dict[str, Any]:
    """The first active A/B variant."""
    return fetch_one(
        url,
        "SELECT page_id, domain_id, page_name, page_variant FROM landing_pages "
        "WHERE ab_test_id IS NOT NULL AND is_active ORDER BY page_id LIMIT 1",
    )


def visit(url: str, session: str, days: list[int]) -> dict[str, Any]:
    """A new session on the first A/B variant, viewing it (and starting its form) on those days after DAY."""
    page = variant(url)
    views = ", ".join(
        f"('{session}', '{page['domain_id']}', '{page['page_id']}', {n}, "
        f"(DATE '{DAY + dt.timedelta(days=d)}' + TIME '12:00') AT TIME ZONE 'America/Sao_Paulo')"
        for n, d in enumerate(days, start=1)
    )
    execute(
        url,
        f"""
INSERT INTO sessions (session_id, domain_id, visitor_id, first_page_id, started_at)
  VALUES ('{session}', '{page["domain_id"]}', 'visitor-{session}', '{page["page_id"]}', '{DAY}T15:00Z');
INSERT INTO page_views (session_id, domain_id, page_id, view_order, created_at) VALUES {views};
INSERT INTO events (session_id, domain_id, page_id, event_type)
  VALUES ('{session}', '{page["domain_id"]}', '{page["page_id"]}', 'form_start');
""",
    )
    return page


def funnel_row(client: httpx.Client, page: dict[str, Any], **arguments: tuple[str, Any]) -> dict[str, Any]:
    answer = report(client, "landingPageFunnel", FUNNEL, **arguments)
    rows = [
        r
        for r in answer["rows"]
        if (r["pageName"], r["pageVariant"]) == (page["page_name"], page["page_variant"])
    ]
    as_of = dt.datetime.fromisoformat(answer["dataAsOf"])
    return {"row": rows[0] if rows else None, "dataAsOf": as_of, "materialized": answer["materialized"]}


def test_a_view_report_is_stale_until_refreshed(served: tuple[LiveServer, str], fresh_db: str) -> None:
    server, key = served
    seeded_at = fetch_one(fresh_db, "SELECT min(refreshed_at) AS at FROM analytics_refreshes")["at"]
    with server.client(key) as client:
        before = funnel_row(client, variant(fresh_db))
        page = visit(fresh_db, "late", [0])
        stale = funnel_row(client, page)
        live = funnel_row(client, page, live=("Boolean", True))
        refreshed = rastro("refresh-analytics", database_url=fresh_db)
        after = funnel_row(client, page)
    assert before["materialized"] and before["dataAsOf"] == seeded_at
    assert stale == before
    assert live["materialized"] is False and live["dataAsOf"] > before["dataAsOf"]
    assert live["row"]["visitors"] == before["row"]["visitors"] + 1
    assert live["row"]["formStarts"] == before["row"]["formStarts"] + 1
    assert refreshed.returncode == 0, refreshed.stderr
    printed = refreshed.stdout.splitlines()
    assert [line.split(":")[0] for line in printed[:-1]] == [view.name for view in VIEWS]
    assert printed[-1].startswith(f"Refreshed {len(VIEWS)} views in ")
    assert after["materialized"] and after["dataAsOf"] > before["dataAsOf"]
    assert after["row"] == live["row"]


def test_without_a_refresh_reports_read_the_tables(pg_url: str, migrated_template: str) -> None:
    name = pg.unique_name("rastro_unrefreshed")
    url = pg.create_database(pg_url, name, template=migrated_template)
    try:
        execute(
            url,
            "INSERT INTO domains (domain_id, domain_name, domain_url) VALUES "
            "('00000000-0000-0000-0000-0000000000d1', 'loja.example', 'https://loja.example');"
            "INSERT INTO landing_pages (page_id, domain_id, page_url, page_name, page_variant, ab_test_id) VALUES "
            "('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000d1', "
            "'https://loja.example/a', 'Oferta', 'A', '00000000-0000-0000-0000-0000000000ab')",
        )
        page = visit(url, "first", [0, 2])
        with live_server(url) as server, server.client(key_maker(url)("analyst")) as client:
            funnel = funnel_row(client, page)
            ab = report(client, "abTests", AB)
    finally:
        pg.drop_database(pg_url, name)
    assert funnel["materialized"] is False and funnel["row"]["visitors"] == 1
    assert ab["materialized"] is False and ab["rows"][0]["visitors"] == 1


@pytest.mark.parametrize("time_zone", ["America/Sao_Paulo", "Asia/Kathmandu", "Australia/Eucla"])
def test_views_answer_as_the_tables_do(served: tuple[LiveServer, str], fresh_db: str, time_zone: str) -> None:
    server, key = served
    visit(fresh_db, "around", [0, 2])  # seen on days 1 and 3: not on day 2
    visit(fresh_db, "within", [1])
    assert rastro("refresh-analytics", database_url=fresh_db).returncode == 0
    day = DAY.isoformat()
    periods: list[dict[str, str]] = [
        {"from": (DAY + dt.timedelta(days=1)).isoformat(), "to": (DAY + dt.timedelta(days=2)).isoformat()},
        {"from": day, "to": (DAY + dt.timedelta(days=3)).isoformat()},
        {"from": day},
        {"to": (DAY + dt.timedelta(days=1)).isoformat()},
        {},
        {"from": "2000-01-01", "to": "2100-01-01"},  # every day of the data: the totals views answer
    ]
    domain = ("UUID", str(variant(fresh_db)["domain_id"]))
    with server.client(key) as client:
        for period in periods:
            arguments = {"period": ("ReportPeriod", {**period, "timeZone": time_zone})}
            for field, fields in VIEW_REPORTS:
                for scope in ({}, {"domainId": domain}):
                    viewed = report(client, field, fields, **arguments, **scope)
                    live = report(client, field, fields, **arguments, **scope, live=("Boolean", True))
                    assert viewed["materialized"] and not live["materialized"]
                    assert canonical(viewed["rows"]) == canonical(live["rows"]), (field, period, scope)
