"""sessionTotals on sessions built for it: repeated and mixed captures, none, filters, periods, and zones whose
offsets are not whole hours (Kathmandu +05:45, Kolkata +05:30), near local midnight."""

from typing import Any

import pytest

from tests.analytics.examples import report
from tests.live import LiveServer
from tests.server.test_cli import rastro
from tests.sql import execute, fetch_one

FIELDS = "utmSource utmCampaign bucket count"
# Each session: its start (UTC) and its captures (source, campaign).
SESSIONS: dict[str, tuple[str, list[tuple[str | None, str | None]]]] = {
    # Kathmandu: Monday 4 March 00:05; Kolkata: Sunday 3 March 23:50. Two captures of one campaign.
    "sess_totals_twice": ("2024-03-03 18:20+00", [("google", "alpha"), ("google", "alpha")]),
    # Two campaigns from two sources.
    "sess_totals_mixed": ("2024-03-04 10:00+00", [("google", "alpha"), ("meta", "beta")]),
    # Kathmandu: Monday 1 April 00:10; Kolkata: Sunday 31 March 23:55. No capture.
    "sess_totals_direct": ("2024-03-31 18:25+00", []),
    # A capture without a campaign: the same group as no capture when grouped by campaign.
    "sess_totals_nameless": ("2024-03-10 12:00+00", [("google", None)]),
}
KATHMANDU, KOLKATA = "Asia/Kathmandu", "Asia/Kolkata"


def add_sessions(url: str) -> str:
    """A new domain with SESSIONS: its id."""
    domain_id = str(
        fetch_one(
            url,
            "INSERT INTO domains (domain_name, domain_url) VALUES ('totals-cases.example', "
            "'https://totals-cases.example') RETURNING domain_id::text AS id",
        )["id"]
    )
    for session_id, (started, captures) in SESSIONS.items():
        execute(
            url,
            "INSERT INTO sessions (session_id, domain_id, visitor_id, started_at) VALUES ($1, $2::text::uuid, 'v', $3::text::timestamptz)",
            session_id,
            domain_id,
            started,
        )
        for source, campaign in captures:
            execute(
                url,
                "INSERT INTO utm_tracking (session_id, domain_id, utm_source, utm_medium, utm_campaign) "
                "VALUES ($1, $2::text::uuid, $3, 'cpc', $4)",
                session_id,
                domain_id,
                source,
                campaign,
            )
    return domain_id


@pytest.fixture(scope="module")
def domain(report_db: str) -> str:
    domain_id = add_sessions(report_db)
    refreshed = rastro("refresh-analytics", database_url=report_db)
    assert refreshed.returncode == 0, refreshed.stderr
    return domain_id


@pytest.fixture(params=[True, False], ids=["live", "views"])
def live(request: pytest.FixtureRequest) -> bool:
    """Each case read from the tables, and from the views refreshed after its sessions were written."""
    return bool(request.param)


def rows(
    server: LiveServer, user: str, domain: str, keys: list[str], zone: str, live: bool, **more: Any
) -> list[tuple]:
    filter_ = {"domainId": {"eq": domain}, **more.pop("filter", {})}
    with server.client(user) as client:
        answer = report(
            client,
            "sessionTotals",
            FIELDS,
            groupBy=("[GroupKey!]!", keys),
            filter=("SessionFilter", filter_),
            period=("ReportPeriod", {"timeZone": zone, **more.pop("period", {})}),
            live=("Boolean", live),
        )
    assert answer["materialized"] is not live
    return [(r["utmSource"], r["utmCampaign"], r["bucket"], r["count"]) for r in answer["rows"]]


@pytest.mark.parametrize(
    ("keys", "zone", "wanted"),
    [
        # The session with two captures of alpha counts once in alpha; the mixed one once in each campaign.
        (
            ["UTM_CAMPAIGN"],
            KATHMANDU,
            [(None, "alpha", None, 2), (None, "beta", None, 1), (None, None, None, 2)],
        ),
        (
            ["UTM_CAMPAIGN", "DAY"],
            KATHMANDU,
            [
                (None, "alpha", "2024-03-04", 2),
                (None, "beta", "2024-03-04", 1),
                (None, None, "2024-03-10", 1),
                (None, None, "2024-04-01", 1),
            ],
        ),
        (
            ["UTM_CAMPAIGN", "DAY"],
            KOLKATA,
            [
                (None, "alpha", "2024-03-03", 1),
                (None, "alpha", "2024-03-04", 1),
                (None, "beta", "2024-03-04", 1),
                (None, None, "2024-03-10", 1),
                (None, None, "2024-03-31", 1),
            ],
        ),
        (
            ["UTM_CAMPAIGN", "WEEK"],
            KATHMANDU,
            [
                (None, "alpha", "2024-03-04", 2),
                (None, "beta", "2024-03-04", 1),
                (None, None, "2024-03-04", 1),
                (None, None, "2024-04-01", 1),
            ],
        ),
        (
            ["WEEK", "UTM_CAMPAIGN"],
            KOLKATA,
            [
                (None, "alpha", "2024-02-26", 1),
                (None, "alpha", "2024-03-04", 1),
                (None, "beta", "2024-03-04", 1),
                (None, None, "2024-03-04", 1),
                (None, None, "2024-03-25", 1),
            ],
        ),
        (
            ["UTM_CAMPAIGN", "MONTH"],
            KOLKATA,
            [
                (None, "alpha", "2024-03-01", 2),
                (None, "beta", "2024-03-01", 1),
                (None, None, "2024-03-01", 2),
            ],
        ),
        (["MONTH"], KATHMANDU, [(None, None, "2024-03-01", 3), (None, None, "2024-04-01", 1)]),
        (
            ["DAY"],
            KOLKATA,
            [(None, None, d, 1) for d in ("2024-03-03", "2024-03-04", "2024-03-10", "2024-03-31")],
        ),
        (
            ["UTM_SOURCE", "UTM_CAMPAIGN"],
            KATHMANDU,
            [
                ("google", "alpha", None, 2),
                ("google", None, None, 1),
                ("meta", "beta", None, 1),
                (None, None, None, 1),
            ],
        ),
    ],
)
def test_each_session_counts_once_per_group(
    report_server: LiveServer,
    analyst: str,
    domain: str,
    live: bool,
    keys: list[str],
    zone: str,
    wanted: list[tuple],
) -> None:
    assert rows(report_server, analyst, domain, keys, zone, live) == wanted


def test_a_utm_filter_keeps_every_capture_of_the_sessions_it_picks(
    report_server: LiveServer, analyst: str, domain: str, live: bool
) -> None:
    # The mixed session has a google capture: it counts in beta too, from its other capture.
    google = {"utmSource": {"eq": "google"}}
    assert rows(report_server, analyst, domain, ["UTM_CAMPAIGN"], KATHMANDU, live, filter=google) == [
        (None, "alpha", None, 2),
        (None, "beta", None, 1),
        (None, None, None, 1),
    ]
    beta = {"utmCampaign": {"eq": "beta"}}
    assert rows(report_server, analyst, domain, ["UTM_SOURCE", "DAY"], KOLKATA, live, filter=beta) == [
        ("google", None, "2024-03-04", 1),
        ("meta", None, "2024-03-04", 1),
    ]


def test_the_period_is_local_days(report_server: LiveServer, analyst: str, domain: str, live: bool) -> None:
    march = {"from": "2024-03-04", "to": "2024-04-01"}
    # In Kathmandu the first session started on 4 March and the direct one on 1 April (excluded).
    assert rows(report_server, analyst, domain, ["UTM_CAMPAIGN", "DAY"], KATHMANDU, live, period=march) == [
        (None, "alpha", "2024-03-04", 2),
        (None, "beta", "2024-03-04", 1),
        (None, None, "2024-03-10", 1),
    ]
    # In Kolkata the first started on 3 March (excluded) and the direct one on 31 March.
    assert rows(report_server, analyst, domain, ["MONTH"], KOLKATA, live, period=march) == [
        (None, None, "2024-03-01", 3)
    ]
