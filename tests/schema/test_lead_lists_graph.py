"""Lists of leads and offline conversions as clients page them: filters, orders, current stages."""

import uuid

import pytest

from tests.conftest import KeyMaker
from tests.graphql_http import every_node, gql_data
from tests.live import LiveServer
from tests.sql import rows as sql

LATEST_STAGE_SQL = """
SELECT DISTINCT ON (lead_id) lead_id, stage_name FROM lead_stages
ORDER BY lead_id, created_at DESC, recorded_seq DESC
"""

CURRENT_STAGES = "query($n: Int) { leads(first: $n) { nodes { leadId currentStage { stageName } } } }"


def test_current_stage_of_a_page_of_leads_costs_the_same_statements_for_2_or_all_leads(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    key = make_seeded_key("viewer")
    gql_data(seeded_server, key, "{ __typename }")  # the key's first use also records last_used_at
    latest = {r["lead_id"]: r["stage_name"] for r in sql(seeded_db_url, LATEST_STAGE_SQL)}
    counts = []
    for n in (2, len(sql(seeded_db_url, "SELECT lead_id FROM leads"))):
        seeded_server.counter.reset()
        nodes = gql_data(seeded_server, key, CURRENT_STAGES, n=n)["leads"]["nodes"]
        counts.append(seeded_server.counter.count)
        assert len(nodes) == n
        for node in nodes:
            stage = node["currentStage"]
            assert (stage and stage["stageName"]) == latest.get(uuid.UUID(node["leadId"]))
    assert counts[0] == counts[1]


LEADS = """
query($after: String, $filter: LeadFilter, $order: [LeadOrder!]) {
  leads(first: 100, after: $after, filter: $filter, orderBy: $order) {
    totalCount pageInfo { hasNextPage endCursor } nodes { leadId createdAt updatedAt }
  }
}
"""


def test_leads_filtered_by_current_stage_won_are_exactly_those_whose_last_stage_is_won(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    won = {str(r["lead_id"]) for r in sql(seeded_db_url, LATEST_STAGE_SQL) if r["stage_name"] == "won"}
    assert won
    nodes = every_node(
        seeded_server, make_seeded_key("viewer"), LEADS, filter={"currentStage": {"eq": "won"}}
    )
    assert sorted(n["leadId"] for n in nodes) == sorted(won)


def test_leads_filters_combine_and_order_by_updated_at(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    domain_id, source = sql(
        seeded_db_url,
        "SELECT s.domain_id, u.utm_source FROM leads l JOIN sessions s USING (session_id)"
        " JOIN utm_tracking u ON u.tracking_id = l.utm_tracking_id WHERE u.utm_source IS NOT NULL"
        " GROUP BY 1, 2 HAVING count(*) FILTER (WHERE l.is_business_email"
        "   AND l.lead_id IN (SELECT lead_id FROM offline_conversions)) > 0"
        " ORDER BY count(*) DESC LIMIT 1",
    )[0]  # the busiest source that has a lead passing every filter
    expected = sql(
        seeded_db_url,
        "SELECT l.lead_id FROM leads l JOIN sessions s USING (session_id)"
        " JOIN utm_tracking u ON u.tracking_id = l.utm_tracking_id"
        " WHERE s.domain_id = $1 AND u.utm_source = $2 AND l.is_business_email"
        " AND EXISTS (SELECT 1 FROM offline_conversions c WHERE c.lead_id = l.lead_id)"
        " ORDER BY l.updated_at, l.lead_id",
        domain_id,
        source,
    )
    assert expected
    filter_ = {
        "domainId": {"eq": str(domain_id)},
        "utmSource": {"eq": source},
        "isBusinessEmail": {"eq": True},
        "hasConversion": True,
    }
    order = {"field": "UPDATED_AT", "direction": "ASC"}
    nodes = every_node(seeded_server, make_seeded_key("viewer"), LEADS, filter=filter_, order=order)
    assert [n["leadId"] for n in nodes] == [str(r["lead_id"]) for r in expected]


CONVERSIONS = """
query($after: String, $filter: OfflineConversionFilter) {
  offlineConversions(first: 100, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { conversionId conversionDate syncStatus { platform status } syncStatusJson }
  }
}
"""


# One more conversion per lead, its sync status cycling through these, so every filter matches some rows.
STATUSES = [
    '{"google_ads": "pending", "meta": "failed"}',
    '{"google_ads": "success", "tiktok": "pending"}',
    '{"google_ads": "failed", "meta": "success", "linkedin": "not_applicable"}',
    '{"meta": "pending", "tiktok": "failed"}',
    "{}",
]
ADD_CONVERSIONS = """
INSERT INTO offline_conversions (lead_id, domain_id, conversion_value, conversion_date, conversion_name, sync_status)
SELECT lead_id, domain_id, 100, now() - interval '1 day' * row_number() OVER (ORDER BY lead_id), 'test_sale',
       ($1::jsonb[])[1 + (row_number() OVER (ORDER BY lead_id)) % cardinality($1::jsonb[])]
FROM leads
"""


@pytest.mark.parametrize(
    ("platform", "state"),
    [
        ("GOOGLE_ADS", "PENDING"),
        ("META", "SUCCESS"),
        ("TIKTOK", "FAILED"),
        (None, "FAILED"),
        ("LINKEDIN", None),
    ],
)
def test_offline_conversions_by_platform_and_sync_status_match_sql(
    seeded_server: LiveServer,
    make_seeded_key: KeyMaker,
    seeded_db_url: str,
    platform: str | None,
    state: str | None,
) -> None:
    sql(seeded_db_url, ADD_CONVERSIONS, STATUSES)
    if platform is None:
        where, args = "sync_status @@ ('$.* == \"' || $1 || '\"')::jsonpath", [str(state).lower()]
    elif state is None:
        where, args = "sync_status ? $1", [platform.lower()]
    else:
        where, args = "sync_status ->> $1 = $2", [platform.lower(), state.lower()]
    expected = [
        str(r["conversion_id"])
        for r in sql(
            seeded_db_url,
            f"SELECT conversion_id FROM offline_conversions WHERE {where}"
            " ORDER BY conversion_date DESC, conversion_id DESC",
            *args,
        )
    ]
    assert expected
    filter_ = {"syncStatus": state, "platform": platform}
    nodes = every_node(seeded_server, make_seeded_key("viewer"), CONVERSIONS, filter=filter_)
    assert [n["conversionId"] for n in nodes] == expected
    for node in nodes:
        statuses = {s["platform"]: s["status"] for s in node["syncStatus"]}
        assert statuses == {p.upper(): s.upper() for p, s in node["syncStatusJson"].items()}
        if platform is None:
            assert state in statuses.values()
        else:
            assert statuses[platform] == (state or statuses[platform])
