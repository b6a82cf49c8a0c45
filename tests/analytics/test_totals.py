"""Transactions filtered by UTM and affiliate, and group-by totals of transactions and sessions."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.analytics.examples import TIME_ZONE, report
from tests.live import LiveServer
from tests.sql import fetch

PAGE = """query ($filter: TransactionFilter) {
  transactions(filter: $filter, first: 100) { totalCount nodes { internalId } pageInfo { hasNextPage } }
}"""
TOTAL = "utmSource utmMedium utmCampaign utmContent affiliate bucket count value"


def transactions(client: httpx.Client, equal: dict[str, str]) -> dict[str, Any]:
    filter_ = {name: {"eq": value} for name, value in equal.items()}
    answer = client.post("/graphql", json={"query": PAGE, "variables": {"filter": filter_}}).json()
    assert "errors" not in answer, answer
    return dict(answer["data"]["transactions"])


@pytest.mark.parametrize(
    ("filter", "condition"),
    [
        ({"utmSource": "google", "utmMedium": "cpc"}, "u.utm_source = 'google' AND u.utm_medium = 'cpc'"),
        ({"utmCampaign": "summer_launch_2023"}, "u.utm_campaign = 'summer_launch_2023'"),
        (
            {"utmContent": "ad_marca", "utmSource": "google"},
            "u.utm_content = 'ad_marca' AND u.utm_source = 'google'",
        ),
    ],
)
def test_transactions_by_utm(
    report_server: LiveServer, report_db: str, analyst: str, filter: dict[str, str], condition: str
) -> None:
    wanted = fetch(
        report_db,
        f"""SELECT t.id FROM transactions t WHERE EXISTS (
              SELECT 1 FROM platform_utm_history u WHERE u.transaction_id = t.id AND {condition})
            ORDER BY t.order_date DESC, t.id DESC""",
    )
    assert wanted
    with report_server.client(analyst) as client:
        page = transactions(client, filter)
    assert page["totalCount"] == len(wanted)
    assert [n["internalId"] for n in page["nodes"]] == [r["id"] for r in wanted[:100]]


def test_transactions_by_affiliate(report_server: LiveServer, report_db: str, analyst: str) -> None:
    wanted = fetch(
        report_db,
        """SELECT DISTINCT t.id, t.order_date FROM transactions t
           JOIN platform_commission pc ON pc.transaction_id = t.id
           WHERE pc.source = 'AFFILIATE' AND pc.recipient_name = 'Marina Costa'
           ORDER BY t.order_date DESC, t.id DESC""",
    )
    assert wanted
    with report_server.client(analyst) as client:
        page = transactions(client, {"affiliate": "Marina Costa"})
        assert page["totalCount"] == len(wanted)
        assert [n["internalId"] for n in page["nodes"]] == [r["id"] for r in wanted[:100]]
        # Only affiliate commissions count: the platform's own share is not an affiliate.
        assert transactions(client, {"affiliate": "Hotmart"})["totalCount"] == 0


def test_transaction_totals_by_source_and_month(
    report_server: LiveServer, report_db: str, analyst: str
) -> None:
    wanted = fetch(
        report_db,
        f"""SELECT u.utm_source, date_trunc('month', t.order_date AT TIME ZONE '{TIME_ZONE}')::date AS bucket,
                   count(DISTINCT t.id) AS count, sum(t.offer_price) AS value
            FROM transactions t LEFT JOIN platform_utm_history u ON u.transaction_id = t.id
            WHERE t.order_date >= '2023-01-01 00:00'::timestamp AT TIME ZONE '{TIME_ZONE}'
              AND t.order_date < '2024-01-01 00:00'::timestamp AT TIME ZONE '{TIME_ZONE}'
            GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""",
    )
    assert len({r["bucket"] for r in wanted}) > 3
    with report_server.client(analyst) as client:
        answer = report(
            client,
            "transactionTotals",
            TOTAL,
            groupBy=("[GroupKey!]!", ["UTM_SOURCE", "MONTH"]),
            period=("ReportPeriod", {"from": "2023-01-01", "to": "2024-01-01"}),
        )
    ours = answer["rows"]
    assert [(r["utmSource"], r["bucket"], r["count"], Decimal(r["value"])) for r in ours] == [
        (r["utm_source"], r["bucket"].isoformat(), r["count"], r["value"]) for r in wanted
    ]
    assert {(r["utmMedium"], r["affiliate"], r["utmCampaign"]) for r in ours} == {(None, None, None)}


def test_transaction_totals_take_the_filter(report_server: LiveServer, report_db: str, analyst: str) -> None:
    wanted = fetch(
        report_db,
        """SELECT pc.recipient_name AS affiliate, count(DISTINCT t.id) AS count, sum(t.offer_price) AS value
           FROM transactions t
           LEFT JOIN platform_commission pc ON pc.transaction_id = t.id AND pc.source = 'AFFILIATE'
           WHERE EXISTS (SELECT 1 FROM platform_utm_history u WHERE u.transaction_id = t.id
                         AND u.utm_source = 'google')
           GROUP BY 1 ORDER BY 1 NULLS LAST""",
    )
    with report_server.client(analyst) as client:
        answer = report(
            client,
            "transactionTotals",
            TOTAL,
            groupBy=("[GroupKey!]!", ["AFFILIATE"]),
            filter=("TransactionFilter", {"utmSource": {"eq": "google"}}),
        )
    assert [(r["affiliate"], r["count"], Decimal(r["value"])) for r in answer["rows"]] == [
        (r["affiliate"], r["count"], r["value"]) for r in wanted
    ]


def test_session_totals_by_campaign_and_week(report_server: LiveServer, report_db: str, analyst: str) -> None:
    domain = fetch(report_db, "SELECT domain_id FROM domains ORDER BY domain_name LIMIT 1")[0]["domain_id"]
    wanted = fetch(
        report_db,
        """SELECT u.utm_campaign, date_trunc('week', s.started_at AT TIME ZONE 'UTC')::date AS bucket,
                   count(DISTINCT s.session_id) AS count
            FROM sessions s LEFT JOIN utm_tracking u ON u.session_id = s.session_id
            WHERE s.domain_id = $1 GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""",
        domain,
    )
    assert any(r["utm_campaign"] is None for r in wanted), "direct sessions form their own group"
    with report_server.client(analyst) as client:
        answer = report(
            client,
            "sessionTotals",
            TOTAL,
            groupBy=("[GroupKey!]!", ["UTM_CAMPAIGN", "WEEK"]),
            filter=("SessionFilter", {"domainId": {"eq": str(domain)}}),
            period=("ReportPeriod", {"timeZone": "UTC"}),
        )
    assert [(r["utmCampaign"], r["bucket"], r["count"], r["value"]) for r in answer["rows"]] == [
        (r["utm_campaign"], r["bucket"].isoformat(), r["count"], None) for r in wanted
    ]


@pytest.mark.parametrize(
    ("field", "keys", "message"),
    [
        ("transactionTotals", [], "Argument 'groupBy' needs at least one key"),
        ("transactionTotals", ["DAY", "MONTH"], "Argument 'groupBy' takes one of DAY, WEEK, MONTH at most"),
        ("sessionTotals", ["AFFILIATE"], "Argument 'groupBy' cannot group by AFFILIATE here"),
    ],
)
def test_bad_group_keys(
    report_server: LiveServer, analyst: str, field: str, keys: list[str], message: str
) -> None:
    query = f"query ($k: [GroupKey!]!) {{ analytics {{ {field}(groupBy: $k) {{ rows {{ count }} }} }} }}"
    with report_server.client(analyst) as client:
        answer = client.post("/graphql", json={"query": query, "variables": {"k": keys}}).json()
    assert [e["message"] for e in answer["errors"]] == [message]
