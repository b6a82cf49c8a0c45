"""The transactions list over real HTTP on seeded data: each filter and order gives what SQL gives."""

from typing import Any

import httpx
import pytest

from tests.graphql_http import data
from tests.sql import rows

TRANSACTION_PAGE = """
query ($filter: TransactionFilter, $orderBy: [TransactionOrder!], $first: Int, $after: String) {
  transactions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    nodes { internalId }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.mark.parametrize(
    ("graph_filter", "sql_where"),
    [
        (
            {
                "statusCode": {"eq": "approved"},
                "orderDate": {"gte": "2023-01-01T00:00:00-03:00", "lt": "2024-01-01T00:00:00-03:00"},
            },
            "t.status_id = (SELECT id FROM transaction_statuses WHERE code = 'approved') AND t.order_date >= '2023-01-01T00:00:00-03:00' AND t.order_date < '2024-01-01T00:00:00-03:00'",
        ),
        ({"customerEmail": " Cliente@Exemplo.COM"}, "t.customer_id = 12345"),
        (
            {"offerCode": {"eq": "BASICCOURSE"}},
            "EXISTS (SELECT 1 FROM platform_sale_offer_history s WHERE s.transaction_id = t.id AND s.code = 'BASICCOURSE')",
        ),
        (
            {"platform": {"eq": "hotmart"}, "trackingSource": {"eq": "afiliado_marina_costa"}},
            "t.platform = 'hotmart' AND t.tracking_source = 'afiliado_marina_costa'",
        ),
    ],
)
def test_transaction_filters_count_what_sql_counts(
    analyst: httpx.Client,
    seeded_db_url: str,
    graph_filter: dict[str, Any],
    sql_where: str,
) -> None:
    (expected,) = rows(seeded_db_url, f"SELECT count(*) FROM transactions t WHERE {sql_where}")
    first_ids = rows(
        seeded_db_url,
        f"SELECT id FROM transactions t WHERE {sql_where} ORDER BY order_date DESC, id DESC LIMIT 100",
    )
    found = data(analyst, TRANSACTION_PAGE, filter=graph_filter, first=100)["transactions"]
    assert found["totalCount"] == expected["count"] > 0  # each filter is tested on rows that exist
    assert [node["internalId"] for node in found["nodes"]] == [r["id"] for r in first_ids]


@pytest.mark.parametrize(
    ("order_by", "sql_order"),
    [
        (None, "order_date DESC, id DESC"),
        ({"field": "OFFER_PRICE", "direction": "ASC"}, "offer_price ASC, id ASC"),
        ({"field": "CREATED_AT"}, "created_at DESC, id DESC"),  # one object for a list: still taken
        (
            [{"field": "OFFER_PRICE", "direction": "ASC"}, {"field": "ORDER_DATE", "direction": "DESC"}],
            "offer_price ASC, order_date DESC, id DESC",
        ),
    ],
)
def test_paging_forward_returns_every_row_once_in_order(
    analyst: httpx.Client,
    seeded_db_url: str,
    order_by: dict[str, str] | list[dict[str, str]] | None,
    sql_order: str,
) -> None:
    expected = rows(seeded_db_url, f"SELECT id FROM transactions ORDER BY {sql_order}")
    seen: list[int] = []
    after = None
    for _ in range(1000):
        page = data(analyst, TRANSACTION_PAGE, orderBy=order_by, first=37, after=after)["transactions"]
        seen += [node["internalId"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(expected) > 2 * 37  # several pages
    assert seen == [r["id"] for r in expected]
