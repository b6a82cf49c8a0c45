"""Attribution models: credits of a known journey against a reference computed here, and sums on the seed."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.analytics.examples import report
from tests.conftest import key_maker
from tests.live import LiveServer, live_server
from tests.sql import execute, fetch_one

MODELS = ["FIRST_TOUCH", "LAST_TOUCH", "LAST_NON_DIRECT", "LINEAR", "TIME_DECAY", "POSITION_BASED"]
GROUPS = ["SOURCE", "MEDIUM", "CAMPAIGN", "CONTENT", "LANDING_PAGE"]
TOTALS = "conversions revenue attributedConversions attributedRevenue lookbackDays halfLifeDays"
ROW = "key pageUrl pageName pageVariant conversions revenue"
CREDIT = "{ conversions revenue }"
COMPARED = f"key firstTouch {CREDIT} lastTouch {CREDIT} lastNonDirect {CREDIT} linear {CREDIT} " + (
    f"timeDecay {CREDIT} positionBased {CREDIT}"
)
SALE = dt.datetime(2025, 6, 30, 12, tzinfo=dt.UTC)
# The visitor's sessions: (days before the sale, UTM source, campaign); None: a direct visit.
JOURNEY = [
    (40, "google", "brand"),  # outside the 30-day window
    (20, "google", "brand"),
    (10, "facebook", "retargeting"),
    (1, None, None),
]
PURCHASE_DELAY = dt.timedelta(days=2)  # the checkout purchase by the lead's e-mail, after the offline sale


def attribute(client: httpx.Client, model: str, group_by: str = "SOURCE", **extra: Any) -> dict[str, Any]:
    declared = ", ".join(f"${k}: {kind}" for k, (kind, _v) in extra.items())
    passed = ", ".join(f"{k}: ${k}" for k in extra)
    query = f"""query ($model: AttributionModel!, $groupBy: AttributionGroupBy{", " + declared if extra else ""})
      {{ analytics {{ attribution(model: $model, groupBy: $groupBy{", " + passed if extra else ""})
         {{ model {TOTALS} rows {{ {ROW} }} }} }} }}"""
    variables = {"model": model, "groupBy": group_by, **{k: v for k, (_kind, v) in extra.items()}}
    answer = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in answer, answer
    return dict(answer["data"]["analytics"]["attribution"])


def shares(model: str, ages: list[float], half_life: float = 7.0) -> list[float]:
    """Reference shares of touches ordered oldest first, `ages` in days before the conversion."""
    n = len(ages)
    if model == "FIRST_TOUCH":
        return [1.0 if i == 0 else 0.0 for i in range(n)]
    if model == "LAST_TOUCH":
        return [1.0 if i == n - 1 else 0.0 for i in range(n)]
    if model == "LINEAR":
        return [1 / n] * n
    if model == "TIME_DECAY":
        weights = [2 ** (-age / half_life) for age in ages]
        return [w / sum(weights) for w in weights]
    assert model == "POSITION_BASED"
    if n <= 2:
        return [1 / n] * n
    return [0.4] + [0.2 / (n - 2)] * (n - 2) + [0.4]


@pytest.fixture(scope="module")
def journey_db(pg_url: str, migrated_template: str) -> Iterator[str]:
    from tests import pg

    name = pg.unique_name("rastro_attribution")
    url = pg.create_database(pg_url, name, template=migrated_template)
    script = [
        "INSERT INTO domains (domain_id, domain_name, domain_url) VALUES "
        "('00000000-0000-0000-0000-0000000000d1', 'loja.example', 'https://loja.example')",
        "INSERT INTO landing_pages (page_id, domain_id, page_url, page_name) VALUES "
        "('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000d1', "
        "'https://loja.example/oferta', 'Oferta')",
    ]
    for number, (days, source, campaign) in enumerate(JOURNEY):
        at = (SALE - dt.timedelta(days=days)).isoformat()
        script.append(
            "INSERT INTO sessions (session_id, domain_id, visitor_id, first_page_id, started_at, last_activity_at) "
            f"VALUES ('s{number}', '00000000-0000-0000-0000-0000000000d1', 'visitor', "
            f"'00000000-0000-0000-0000-0000000000a1', '{at}', '{at}')"
        )
        if source is not None:
            script.append(
                "INSERT INTO utm_tracking (session_id, domain_id, utm_source, utm_medium, utm_campaign, created_at) "
                f"VALUES ('s{number}', '00000000-0000-0000-0000-0000000000d1', '{source}', 'cpc', '{campaign}', '{at}')"
            )
    script += [
        "INSERT INTO leads (lead_id, session_id, domain_id, email, hashed_email) VALUES "
        "('00000000-0000-0000-0000-00000000001e', 's2', '00000000-0000-0000-0000-0000000000d1', "
        "'ana@example.com', rastro_email_hash('ana@example.com'))",
        "INSERT INTO offline_conversions (lead_id, domain_id, conversion_value, conversion_date, conversion_name) "
        "VALUES ('00000000-0000-0000-0000-00000000001e', '00000000-0000-0000-0000-0000000000d1', 1000, "
        f"'{SALE.isoformat()}', 'contract_signed')",
        "INSERT INTO transaction_statuses (id, code, status) VALUES (1, 'approved', 'Aprovada'), "
        "(2, 'refunded', 'Reembolsada') ON CONFLICT DO NOTHING",
        "INSERT INTO customers (id, email) VALUES (1, ' Ana@Example.com'), (2, 'bob@example.com')",
        "INSERT INTO transactions (transaction_id, platform, customer_id, status_id, offer_price, order_date) "
        f"VALUES ('TX1', 'hotmart', 1, 1, 300, '{(SALE + PURCHASE_DELAY).isoformat()}'), "
        f"('TX2', 'hotmart', 2, 1, 50, '{SALE.isoformat()}'), "  # a buyer no lead shares an e-mail with
        f"('TX3', 'hotmart', 1, 2, 999, '{SALE.isoformat()}')",  # refunded: no conversion
    ]
    execute(url, ";\n".join(script))
    yield url
    pg.drop_database(pg_url, name)


@pytest.fixture(scope="module")
def journey(journey_db: str) -> Iterator[tuple[LiveServer, str]]:
    with live_server(journey_db) as live:
        yield live, key_maker(journey_db)("analyst")


def reference(model: str) -> dict[str | None, Decimal]:
    """Revenue each source gets: the offline sale (1000) and the purchase two days later (300)."""
    touches = [(days, source) for days, source, _c in JOURNEY if days <= 30]
    credited: dict[str | None, Decimal] = defaultdict(Decimal)
    for value, delay in ((1000, 0.0), (300, PURCHASE_DELAY.days)):
        ages = [days + delay for days, _s in touches]
        if model == "LAST_NON_DIRECT":
            weights = [1.0 if source == "facebook" else 0.0 for _d, source in touches]
        else:
            weights = shares(model, ages)
        for (_d, source), share in zip(touches, weights, strict=True):
            credited[source] += Decimal(value) * Decimal(share)
    return credited


@pytest.mark.parametrize("model", MODELS)
def test_a_known_journey_is_credited_as_the_model_says(journey: tuple[LiveServer, str], model: str) -> None:
    server, key = journey
    with server.client(key) as client:
        answer = attribute(client, model, period=("ReportPeriod", {"from": "2025-06-01", "to": "2025-08-01"}))
    assert answer["model"] == model
    assert (answer["conversions"], Decimal(answer["revenue"])) == (3, Decimal(1350))
    assert (answer["attributedConversions"], Decimal(answer["attributedRevenue"])) == (2, Decimal(1300))
    got = {r["key"]: Decimal(r["revenue"]) for r in answer["rows"]}
    wanted = {k: v for k, v in reference(model).items() if v}
    assert got.keys() >= wanted.keys()
    for source, revenue in got.items():
        assert abs(revenue - wanted.get(source, Decimal(0))) < Decimal("0.0002"), (source, got, wanted)
    assert sum(got.values()) == Decimal(1300)
    revenues = [Decimal(r["revenue"]) for r in answer["rows"]]
    assert revenues == sorted(revenues, reverse=True)


def test_lookback_and_half_life_are_per_query(journey: tuple[LiveServer, str]) -> None:
    server, key = journey
    with server.client(key) as client:
        short = attribute(client, "FIRST_TOUCH", lookbackDays=("Int", 5))
        long = attribute(client, "FIRST_TOUCH", lookbackDays=("Int", 60))
        slow = attribute(client, "TIME_DECAY", halfLifeDays=("Float", 300.0))
    # Five days back only the direct visit counts (for the sale and the purchase two days later).
    assert [(r["key"], r["conversions"]) for r in short["rows"]] == [(None, 2.0)]
    # Sixty days back the first visit (40 days before the sale) is google's too; groups touched but not
    # credited are listed with zero.
    assert [(r["key"], Decimal(r["revenue"])) for r in long["rows"]] == [
        ("google", Decimal(1300)),
        ("facebook", Decimal(0)),
        (None, Decimal(0)),
    ]
    # A very long half-life weighs the three touches almost equally.
    assert all(abs(r["conversions"] - 2 / 3) < 0.02 for r in slow["rows"]), slow["rows"]
    assert (short["lookbackDays"], slow["halfLifeDays"]) == (5, 300.0)


def test_conversion_kinds_and_domain(journey: tuple[LiveServer, str]) -> None:
    server, key = journey
    with server.client(key) as client:
        offline = attribute(client, "LAST_TOUCH", conversions=("[ConversionKind!]", ["OFFLINE"]))
        mine = attribute(client, "LAST_TOUCH", domainId=("UUID", "00000000-0000-0000-0000-0000000000d1"))
        other = attribute(client, "LAST_TOUCH", domainId=("UUID", "00000000-0000-0000-0000-0000000000d2"))
    assert (offline["conversions"], offline["revenue"]) == (1, "1000.00")
    # With a domain, only conversions reached through its leads: the unmatched buyer is not one of them.
    assert (mine["conversions"], Decimal(mine["revenue"])) == (2, Decimal(1300))
    assert (other["conversions"], other["rows"]) == (0, [])


def test_landing_page_groups_name_the_page(journey: tuple[LiveServer, str]) -> None:
    server, key = journey
    with server.client(key) as client:
        answer = attribute(client, "LINEAR", "LANDING_PAGE")
    assert [(r["pageUrl"], r["pageName"], r["conversions"]) for r in answer["rows"]] == [
        ("https://loja.example/oferta", "Oferta", 2.0)
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("lookbackDays: 0", "Argument 'lookbackDays' must be from 1 to 365 days: 0"),
        ("halfLifeDays: -1", "Argument 'halfLifeDays' must be more than 0 and at most 365 days: -1.0"),
        ("conversions: []", "Argument 'conversions' needs at least one kind"),
    ],
)
def test_bad_windows_say_what_is_wrong(journey: tuple[LiveServer, str], arguments: str, message: str) -> None:
    server, key = journey
    query = f"{{ analytics {{ attribution(model: LINEAR, {arguments}) {{ rows {{ key }} }} }} }}"
    with server.client(key) as client:
        answer = client.post("/graphql", json={"query": query}).json()
    assert [e["message"] for e in answer["errors"]] == [message]


@pytest.mark.parametrize("group_by", GROUPS)
def test_every_model_shares_exactly_the_attributed_total_on_the_seed(
    report_server: LiveServer, report_db: str, analyst: str, group_by: str
) -> None:
    approved = fetch_one(
        report_db,
        """SELECT count(*) AS n, sum(offer_price) AS value FROM transactions t
           JOIN transaction_statuses s ON s.id = t.status_id WHERE s.code = 'approved'""",
    )
    offline = fetch_one(
        report_db, "SELECT count(*) AS n, sum(conversion_value) AS value FROM offline_conversions"
    )
    with report_server.client(analyst) as client:
        for model in MODELS:
            answer = attribute(client, model, group_by)
            assert answer["conversions"] == approved["n"] + offline["n"]
            assert Decimal(answer["revenue"]) == approved["value"] + offline["value"]
            assert 0 < answer["attributedConversions"] <= answer["conversions"]
            rows = answer["rows"]
            assert sum(Decimal(r["revenue"]) for r in rows) == Decimal(answer["attributedRevenue"]), model
            assert sum(r["conversions"] for r in rows) == pytest.approx(answer["attributedConversions"])
            assert all(Decimal(r["revenue"]) >= 0 for r in rows)


def test_compare_models_puts_every_model_side_by_side(report_server: LiveServer, analyst: str) -> None:
    fields = {
        "FIRST_TOUCH": "firstTouch",
        "LAST_TOUCH": "lastTouch",
        "LAST_NON_DIRECT": "lastNonDirect",
        "LINEAR": "linear",
        "TIME_DECAY": "timeDecay",
        "POSITION_BASED": "positionBased",
    }
    with report_server.client(analyst) as client:
        compared = report(client, "compareModels", COMPARED, groupBy=("AttributionGroupBy", "CAMPAIGN"))
        for model, field in fields.items():
            alone = attribute(client, model, "CAMPAIGN")
            assert {r["key"]: (r[field]["conversions"], r[field]["revenue"]) for r in compared["rows"]} == {
                r["key"]: (r["conversions"], r["revenue"]) for r in alone["rows"]
            }
