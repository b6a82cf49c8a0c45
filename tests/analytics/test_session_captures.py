"""sessionTotals from its views (analytics_session_captures, analytics_session_day_totals): after a refresh,
the rows the tables give for every grouping, filter, period and zone; stale until the next refresh."""

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests import pg
from tests.analytics.examples import report
from tests.analytics.test_session_totals import add_sessions
from tests.conftest import key_maker
from tests.live import LiveServer, live_server
from tests.server.test_cli import rastro
from tests.sql import execute, fetch_one

FIELDS = "utmSource utmMedium utmCampaign utmContent bucket count"
KEYS = [
    ["UTM_CAMPAIGN", "WEEK"],
    ["UTM_SOURCE", "UTM_MEDIUM", "UTM_CAMPAIGN", "UTM_CONTENT", "DAY"],
    ["MONTH"],
    ["UTM_MEDIUM"],
    ["UTM_SOURCE", "UTM_CAMPAIGN"],
]
# São Paulo is the zone of the per-day totals (read when there is no filter); the others read the view.
ZONES = ["America/Sao_Paulo", "Asia/Kathmandu", "UTC"]


@pytest.fixture(scope="module")
def views_db(pg_url: str, seeded_template: str) -> Iterator[tuple[str, str]]:
    """A seeded database with the sessions of test_session_totals, refreshed after them; their domain."""
    name = pg.unique_name("rastro_session_views")
    url = pg.create_database(pg_url, name, template=seeded_template)
    domain = add_sessions(url)
    assert rastro("refresh-analytics", database_url=url).returncode == 0
    yield url, domain
    pg.drop_database(pg_url, name)


@pytest.fixture(scope="module")
def served(views_db: tuple[str, str]) -> Iterator[tuple[LiveServer, str]]:
    with live_server(views_db[0]) as live:
        yield live, key_maker(views_db[0])("analyst")


def totals(server: LiveServer, key: str, live: bool, **arguments: tuple[str, Any]) -> dict[str, Any]:
    with server.client(key) as client:
        return report(client, "sessionTotals", FIELDS, live=("Boolean", live), **arguments)


def periods(url: str) -> list[dict[str, str]]:
    """The whole data, the test sessions' days, and the seed's last week, open or closed."""
    latest = fetch_one(url, "SELECT max(started_at)::date AS day FROM sessions")["day"]
    week = (latest - dt.timedelta(days=7)).isoformat()
    return [{}, {"from": "2024-03-04", "to": "2024-03-11"}, {"to": "2024-03-05"}, {"from": week}]


def test_views_answer_as_the_tables_do(served: tuple[LiveServer, str], views_db: tuple[str, str]) -> None:
    server, key = served
    url, domain = views_db
    filters: list[dict[str, Any] | None] = [
        None,
        {"domainId": {"eq": domain}},
        {"utmSource": {"in": ["google", "meta"]}, "utmMedium": {"eq": "cpc"}},
        {"or": [{"converted": {"eq": True}}, {"utmCampaign": {"isNull": True}}]},
        {"not": {"utmCampaign": {"contains": "ALPH"}}, "totalPageViews": {"gte": 0}},
    ]
    cases = itertools.product(ZONES, periods(url), filters)
    for n, (zone, period, filter_) in enumerate(cases):
        arguments: dict[str, tuple[str, Any]] = {
            "groupBy": ("[GroupKey!]!", KEYS[n % len(KEYS)]),
            "period": ("ReportPeriod", {**period, "timeZone": zone}),
        }
        if filter_ is not None:
            arguments["filter"] = ("SessionFilter", filter_)
        viewed, live = totals(server, key, False, **arguments), totals(server, key, True, **arguments)
        assert viewed["materialized"] and not live["materialized"]
        assert viewed["rows"] == live["rows"], (zone, period, filter_)
        assert live["rows"] or filter_ is not None, "the whole data has sessions"


def test_a_session_written_after_the_refresh_shows_live_only(
    served: tuple[LiveServer, str], views_db: tuple[str, str]
) -> None:
    server, key = served
    url, domain = views_db
    refreshed_at = (
        "SELECT refreshed_at AS at FROM analytics_refreshes WHERE view_name = 'analytics_session_captures'"
    )
    by_campaign = {"groupBy": ("[GroupKey!]!", ["UTM_CAMPAIGN"])}
    # No filter (the per-day totals answer) and a domain's sessions (the view answers).
    asked = [by_campaign, {**by_campaign, "filter": ("SessionFilter", {"domainId": {"eq": domain}})}]
    before = [totals(server, key, False, **arguments) for arguments in asked]
    execute(
        url,
        "INSERT INTO sessions (session_id, domain_id, visitor_id, started_at) "
        "VALUES ('sess_totals_late', $1::text::uuid, 'v', now())",
        domain,
    )
    execute(
        url,
        "INSERT INTO utm_tracking (session_id, domain_id, utm_source, utm_campaign) "
        "VALUES ('sess_totals_late', $1::text::uuid, 'google', 'late')",
        domain,
    )
    stale = [totals(server, key, False, **arguments) for arguments in asked]
    live = [totals(server, key, True, **arguments) for arguments in asked]
    assert rastro("refresh-analytics", database_url=url).returncode == 0
    after = [totals(server, key, False, **arguments) for arguments in asked]

    late = {"utmSource": None, "utmMedium": None, "utmCampaign": "late", "utmContent": None, "bucket": None}
    for old, now, current, refreshed in zip(before, stale, live, after, strict=True):
        assert now == old and now["materialized"]
        assert dt.datetime.fromisoformat(now["dataAsOf"]) < dt.datetime.fromisoformat(current["dataAsOf"])
        assert [r for r in current["rows"] if r["utmCampaign"] == "late"] == [{**late, "count": 1}]
        assert not any(r["utmCampaign"] == "late" for r in now["rows"])
        assert refreshed["rows"] == current["rows"] and refreshed["materialized"]
        assert dt.datetime.fromisoformat(refreshed["dataAsOf"]) == fetch_one(url, refreshed_at)["at"]


def test_before_a_refresh_the_tables_answer(pg_url: str, migrated_template: str) -> None:
    name = pg.unique_name("rastro_unrefreshed")
    url = pg.create_database(pg_url, name, template=migrated_template)
    try:
        domain = add_sessions(url)
        with live_server(url) as server:
            key = key_maker(url)("analyst")
            arguments = {
                "groupBy": ("[GroupKey!]!", ["UTM_SOURCE", "DAY"]),
                "filter": ("SessionFilter", {"domainId": {"eq": domain}}),
            }
            unrefreshed = totals(server, key, False, **arguments)
            live = totals(server, key, True, **arguments)
    finally:
        pg.drop_database(pg_url, name)
    assert not unrefreshed["materialized"]
    assert unrefreshed["rows"] == live["rows"] and len(live["rows"]) == 5
