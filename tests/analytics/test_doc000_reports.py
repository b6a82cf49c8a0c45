"""Doc 000's dashboards: each report gives the rows of its SQL example on the same seeded data."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.analytics.examples import (
    DOC_000,
    TIME_ZONE,
    canonical,
    example_rows,
    example_sql,
    expected,
    report,
)
from tests.live import LiveServer
from tests.sql import fetch, fetch_one

CAMPAIGN_FIELDS = (
    "utmCampaign utmSource utmMedium totalSessions totalLeads totalSales totalRevenue avgTimeToConversion"
)


def thirty_days_ago() -> str:
    """CURRENT_DATE - 30 days, in the examples' session time zone."""
    return (dt.datetime.now(ZoneInfo(TIME_ZONE)).date() - dt.timedelta(days=30)).isoformat()


def revenues_descending(values: list[str | None]) -> bool:
    known = [Decimal(v) for v in values if v is not None]
    return known == sorted(known, reverse=True) and values[len(known) :] == [None] * (
        len(values) - len(known)
    )


def test_campaign_performance_is_the_example(report_server: LiveServer, report_db: str, analyst: str) -> None:
    rows = example_rows(report_db, example_sql(DOC_000, 1))
    assert rows, "the seed has UTM captures in the last 30 days"
    with report_server.client(analyst) as client:
        answer = report(
            client,
            "campaignPerformance",
            CAMPAIGN_FIELDS,
            period=("ReportPeriod", {"from": thirty_days_ago()}),
        )
    assert canonical(answer["rows"]) == canonical(expected(rows))
    assert revenues_descending([r["totalRevenue"] for r in answer["rows"]])
    assert answer["materialized"] is True and answer["timeZone"] == TIME_ZONE  # read from a view


def test_campaign_performance_of_one_domain(report_server: LiveServer, report_db: str, analyst: str) -> None:
    domain = str(
        fetch_one(report_db, "SELECT domain_id FROM domains ORDER BY domain_name LIMIT 1")["domain_id"]
    )
    sql = example_sql(DOC_000, 1).replace("WHERE ", f"WHERE s.domain_id = '{domain}' AND ")
    rows = example_rows(report_db, sql)
    assert rows
    with report_server.client(analyst) as client:
        answer = report(
            client,
            "campaignPerformance",
            CAMPAIGN_FIELDS,
            domainId=("UUID", domain),
            period=("ReportPeriod", {"from": thirty_days_ago()}),
        )
    assert canonical(answer["rows"]) == canonical(expected(rows))


def test_landing_page_funnel_is_the_example(report_server: LiveServer, report_db: str, analyst: str) -> None:
    rows = expected(example_rows(report_db, example_sql(DOC_000, 2)))
    assert rows
    fields = " ".join(rows[0])
    with report_server.client(analyst) as client:
        answer = report(client, "landingPageFunnel", f"{fields} saleValue")
    sale_values = {(r["pageName"], r["pageVariant"]): r.pop("saleValue") for r in answer["rows"]}
    assert canonical(answer["rows"]) == canonical(rows)
    visitors = [r["visitors"] for r in answer["rows"]]
    assert visitors == sorted(visitors, reverse=True)
    # Sale value: the offline sales of the leads each page captured (pages with views only).
    sales = fetch(
        report_db,
        """SELECT lp.page_name, lp.page_variant, coalesce(sum(oc.conversion_value), 0) AS value
           FROM landing_pages lp JOIN leads l ON l.page_id = lp.page_id
           JOIN offline_conversions oc ON oc.lead_id = l.lead_id
           WHERE lp.is_active AND EXISTS (SELECT 1 FROM page_views pv WHERE pv.page_id = lp.page_id)
           GROUP BY 1, 2""",
    )
    assert any(r["value"] > 0 for r in sales)
    for row in sales:
        assert Decimal(sale_values[(row["page_name"], row["page_variant"])]) == row["value"]


def test_visitor_types_are_the_example(report_server: LiveServer, report_db: str, analyst: str) -> None:
    domain = str(
        fetch_one(
            report_db,
            "SELECT domain_id FROM visitor_journeys GROUP BY 1 ORDER BY count(*) DESC, domain_id LIMIT 1",
        )["domain_id"]
    )
    rows = expected(example_rows(report_db, example_sql(DOC_000, 3, domain_id=domain)))
    labels = {"Novo": "NEW", "Retornante": "RETURNING", "Frequente": "FREQUENT"}
    for row in rows:
        row["visitorType"] = labels[row["visitorType"]]
    assert len(rows) == 3
    with report_server.client(analyst) as client:
        answer = report(client, "visitorTypes", " ".join(rows[0]), domainId=("UUID", domain))
    assert canonical(answer["rows"]) == canonical(rows)


def test_channel_roi_is_the_example_with_real_costs(
    report_server: LiveServer, report_db: str, analyst: str
) -> None:
    start = thirty_days_ago()
    rows = example_rows(report_db, example_sql(DOC_000, 4))
    assert rows
    traffic = ("channel", "sessions", "leads", "sales", "revenue")
    fields = "channel utmSource utmMedium sessions leads sales revenue cost profit roiPercentage"
    with report_server.client(analyst) as client:
        answer = report(client, "channelRoi", fields, period=("ReportPeriod", {"from": start}))
    ours = answer["rows"]
    assert canonical([{k: r[k] for k in traffic} for r in ours]) == canonical(
        [{k: v for k, v in r.items() if k in traffic} for r in expected(rows)]
    )
    # The example's made-up rates are replaced by the spend recorded on the period's days.
    spend = {
        (r["source"], r["medium"]): r["cost"]
        for r in fetch(
            report_db,
            "SELECT source, medium, sum(cost) AS cost FROM marketing_costs WHERE cost_date >= $1 GROUP BY 1, 2",
            dt.date.fromisoformat(start),
        )
    }
    assert any(spend.values())
    for row in ours:
        cost = spend.get((row["utmSource"], row["utmMedium"]), Decimal(0))
        assert Decimal(row["cost"]) == cost
        assert Decimal(row["profit"]) == round(Decimal(row["revenue"]) - cost, 2)
        expected_roi = None if cost == 0 else round((Decimal(row["revenue"]) - cost) / cost * 100, 2)
        assert (row["roiPercentage"] and Decimal(row["roiPercentage"])) == expected_roi
    profits = [Decimal(r["profit"]) for r in ours]
    assert profits == sorted(profits, reverse=True)
