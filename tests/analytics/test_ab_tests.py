"""A/B tests: counts from a known experiment, and the z-test against scipy's chi-square test."""

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from scipy.stats import chi2_contingency, norm

from server.analytics_csv import document
from tests import pg
from tests.analytics.examples import report
from tests.analytics.test_compiled_reports import Servers, analytics, both, both_paths
from tests.conftest import key_maker
from tests.live import LiveServer, live_server
from tests.sql import execute

TEST_ID = "00000000-0000-0000-0000-0000000000ab"
OTHER_TEST = "00000000-0000-0000-0000-0000000000ac"
DOMAIN = "00000000-0000-0000-0000-0000000000d1"
FIELDS = (
    "abTestId pageVariant isControl visitors leads conversions conversionRate lift verdict pValue "
    "difference ciLow ciHigh"
)
# Variant: (page id, control, visitors, leads, sales among the leads)
ARMS = {
    "A": ("00000000-0000-0000-0000-0000000000a1", True, 1200, 96, 20),
    "B": ("00000000-0000-0000-0000-0000000000b1", False, 1100, 132, 14),
    "C": ("00000000-0000-0000-0000-0000000000c1", False, 80, 10, 1),
}


def arm_script(variant: str, page: str, visitors: int, leads: int, sales: int) -> str:
    sessions = f"generate_series(1, {visitors}) AS n"
    return f"""
INSERT INTO sessions (session_id, domain_id, visitor_id, first_page_id, started_at)
  SELECT '{variant}-' || n, '{DOMAIN}', 'visitor-{variant}-' || n, '{page}', '2025-05-10 12:00Z' FROM {sessions};
-- Every visitor views the page twice (two sessions would count once): the unit is the visitor.
INSERT INTO page_views (session_id, domain_id, page_id, view_order, created_at)
  SELECT '{variant}-' || n, '{DOMAIN}', '{page}', k, '2025-05-10 12:00Z' FROM {sessions}, generate_series(1, 2) AS k;
INSERT INTO leads (session_id, domain_id, page_id, created_at)
  SELECT '{variant}-' || n, '{DOMAIN}', '{page}', '2025-05-10 12:05Z' FROM generate_series(1, {leads}) AS n;
INSERT INTO offline_conversions (lead_id, domain_id, conversion_value, conversion_date, conversion_name)
  SELECT lead_id, domain_id, 100, '2025-05-20 12:00Z', 'purchase' FROM leads
  WHERE page_id = '{page}' ORDER BY session_id LIMIT {sales};
"""


@pytest.fixture(scope="module")
def experiment_db(pg_url: str, migrated_template: str) -> Iterator[str]:
    name = pg.unique_name("rastro_abtest")
    url = pg.create_database(pg_url, name, template=migrated_template)
    pages = ", ".join(
        f"('{page}', '{DOMAIN}', 'https://loja.example/', 'Oferta', '{variant}', {control}, '{TEST_ID}')"
        for variant, (page, control, *_counts) in ARMS.items()
    )
    script = f"""
INSERT INTO domains (domain_id, domain_name, domain_url) VALUES ('{DOMAIN}', 'loja.example', 'https://loja.example');
INSERT INTO landing_pages (page_id, domain_id, page_url, page_name, page_variant, is_control, ab_test_id)
  VALUES {pages},
  ('00000000-0000-0000-0000-0000000000e1', '{DOMAIN}', 'https://loja.example/b', 'Sem controle', 'X', false,
   '{OTHER_TEST}');
"""
    script += "".join(arm_script(v, page, *counts) for v, (page, _c, *counts) in ARMS.items())
    execute(url, script)
    yield url
    pg.drop_database(pg_url, name)


@pytest.fixture(scope="module")
def experiment(experiment_db: str) -> Iterator[tuple[LiveServer, str]]:
    with live_server(experiment_db) as live:
        yield live, key_maker(experiment_db)("analyst")


def variants(client: httpx.Client, **arguments: tuple[str, Any]) -> dict[str, dict[str, Any]]:
    answer = report(client, "abTests", FIELDS, **arguments)
    return {r["pageVariant"]: r for r in answer["rows"]}


def reference(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float, float]:
    """scipy's p-value (chi-square without correction, equal to the pooled z-test) and a Wald 95% CI."""
    p_value = chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False).pvalue
    p1, p2 = x1 / n1, x2 / n2
    margin = norm.ppf(0.975) * ((p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) ** 0.5)
    return float(p_value), p1 - p2 - margin, p1 - p2 + margin


@pytest.mark.parametrize("goal", ["LEAD", "SALE"])
def test_variants_against_the_control_match_scipy(experiment: tuple[LiveServer, str], goal: str) -> None:
    server, key = experiment
    with server.client(key) as client:
        rows = variants(client, abTestId=("UUID", TEST_ID), goal=("AbGoal", goal))
    assert list(rows) == ["A", "B", "C"]  # the control first
    _page, _control, n_a, leads_a, sales_a = ARMS["A"]
    x_a = leads_a if goal == "LEAD" else sales_a
    control = rows["A"]
    assert (control["visitors"], control["leads"], control["conversions"]) == (n_a, leads_a, sales_a)
    assert control["verdict"] == "CONTROL" and control["pValue"] is None and control["lift"] is None
    assert control["conversionRate"] == pytest.approx(x_a / n_a)

    _page, _control, n_b, leads_b, sales_b = ARMS["B"]
    x_b = leads_b if goal == "LEAD" else sales_b
    b = rows["B"]
    assert (b["visitors"], b["leads"], b["conversions"]) == (n_b, leads_b, sales_b)
    p_value, low, high = reference(x_b, n_b, x_a, n_a)
    assert b["pValue"] == pytest.approx(p_value, rel=1e-9)
    assert (b["ciLow"], b["ciHigh"]) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
    assert b["difference"] == pytest.approx(x_b / n_b - x_a / n_a)
    assert b["lift"] == pytest.approx((x_b / n_b) / (x_a / n_a) - 1)
    assert b["verdict"] == ("SIGNIFICANT" if p_value < 0.05 else "NOT_SIGNIFICANT")

    # 80 visitors: below the minimum sample, no p-value but still the counts and the lift.
    c = rows["C"]
    assert (c["visitors"], c["verdict"], c["pValue"], c["ciLow"]) == (80, "NOT_ENOUGH_DATA", None, None)
    assert c["lift"] is not None


def test_the_verdicts_of_both_goals(experiment: tuple[LiveServer, str]) -> None:
    server, key = experiment
    with server.client(key) as client:
        leads = variants(client, abTestId=("UUID", TEST_ID))
        sales = variants(client, abTestId=("UUID", TEST_ID), goal=("AbGoal", "SALE"))
        lower = variants(client, abTestId=("UUID", TEST_ID), minVisitors=("Int", 50))
    # 8% vs 12% leads over about a thousand visitors each is significant; 1.7% vs 1.3% sales is not.
    assert (leads["B"]["verdict"], sales["B"]["verdict"]) == ("SIGNIFICANT", "NOT_SIGNIFICANT")
    # With a lower minimum, 80 visitors and 10 leads are enough for a p-value.
    assert lower["C"]["verdict"] == "NOT_SIGNIFICANT" and lower["C"]["pValue"] is not None


def test_groups_without_control_and_filters(experiment: tuple[LiveServer, str]) -> None:
    server, key = experiment
    with server.client(key) as client:
        every = report(client, "abTests", FIELDS)["rows"]
        other_domain = report(
            client, "abTests", FIELDS, domainId=("UUID", "00000000-0000-0000-0000-0000000000d2")
        )
        later = variants(client, period=("ReportPeriod", {"from": "2025-06-01"}))
    lonely = [r for r in every if r["abTestId"] == OTHER_TEST]
    assert [(r["visitors"], r["verdict"]) for r in lonely] == [(0, "NO_CONTROL")]
    assert other_domain["rows"] == []
    assert {v: (r["visitors"], r["conversionRate"]) for v, r in later.items()} == {
        "A": (0, None),
        "B": (0, None),
        "C": (0, None),
        "X": (0, None),
    }


def test_a_minimum_below_one_is_refused(experiment: tuple[LiveServer, str]) -> None:
    server, key = experiment
    with server.client(key) as client:
        answer = client.post(
            "/graphql", json={"query": "{ analytics { abTests(minVisitors: 0) { rows { lift } } } }"}
        )
    assert [e["message"] for e in answer.json()["errors"]] == ["Argument 'minVisitors' must be at least 1: 0"]


@pytest.fixture(scope="module")
def servers(experiment_db: str) -> Iterator[Servers]:
    with both_paths(experiment_db) as pair:
        yield pair


@pytest.fixture(scope="module")
def analyst(experiment_db: str) -> str:
    return key_maker(experiment_db, "compiled")("analyst")


@pytest.mark.parametrize(
    "variables",
    [{}, {"goal": "SALE"}, {"minVisitors": 50}, {"minVisitors": 1, "live": True}, {"abTestId": OTHER_TEST}],
)
def test_the_compiled_z_test_answers_the_python_doubles(
    servers: Servers, analyst: str, variables: dict[str, Any]
) -> None:
    query = document("abTests", analytics().fields["abTests"], variables)
    answer, compiled = both(servers, analyst, query, variables)
    assert compiled
    verdicts = {row["verdict"] for row in orjson.loads(answer)["data"]["analytics"]["abTests"]["rows"]}
    assert verdicts & {"SIGNIFICANT", "NOT_SIGNIFICANT", "NO_CONTROL"}
