"""One transaction, customer or catalog entry over real HTTP on seeded data: it matches SQL, exactly."""

from decimal import Decimal

import httpx
import pytest

from tests.conftest import KeyMaker
from tests.graphql_http import data, post
from tests.live import LiveServer
from tests.sql import rows

HISTORY = """
query ($transactionId: String!, $platform: String!) {
  transaction(transactionId: $transactionId, platform: $platform) {
    internalId transactionId offerPrice
    customer { customerId }
    status { code }
    items { totalCount nodes { itemId quantity unitPrice product { productId name } } }
    payments { nodes { paymentId paymentMethod paymentType installments value cardBrand cardLastDigits metadata } }
    utmHistory { nodes { utmId utmSource utmMedium utmCampaign utmContent } }
    invoices { nodes { invoiceId invoiceNumber invoiceKey status pdfUrl } }
    offerSnapshots { nodes { snapshotId code offerId offerName offer { name } } }
    commissions { nodes { commissionId source amount recipientName } }
  }
}
"""


def test_transaction_by_platform_id_returns_its_whole_history(
    analyst: httpx.Client, seeded_db_url: str
) -> None:
    (tx,) = rows(
        seeded_db_url,
        "SELECT id, platform, offer_price::text AS price FROM transactions WHERE transaction_id = 'TX987654'",
    )
    found = data(analyst, HISTORY, transactionId="TX987654", platform=tx["platform"])["transaction"]

    assert (found["internalId"], found["transactionId"], found["offerPrice"]) == (
        987654,
        "TX987654",
        tx["price"],
    )
    assert found["customer"] == {"customerId": 12345}
    assert (
        found["status"]["code"]
        == rows(
            seeded_db_url,
            "SELECT s.code FROM transaction_statuses s JOIN transactions t ON t.status_id = s.id WHERE t.id = $1",
            tx["id"],
        )[0]["code"]
    )

    items = rows(
        seeded_db_url,
        "SELECT i.id, i.quantity, i.unit_price::text AS price, p.id AS pid, p.name FROM transaction_items i JOIN products p ON p.id = i.product_id WHERE i.transaction_id = $1 ORDER BY i.id",
        tx["id"],
    )
    assert found["items"]["totalCount"] == len(items) > 0
    assert found["items"]["nodes"] == [
        {
            "itemId": r["id"],
            "quantity": r["quantity"],
            "unitPrice": r["price"],
            "product": {"productId": r["pid"], "name": r["name"]},
        }
        for r in items
    ]

    payments = rows(
        seeded_db_url,
        "SELECT id, payment_method::text AS m, payment_type::text AS t, installments, value::text AS v, "
        # The reference retention view: card data is gone 2 years after the payment.
        "CASE WHEN payment_date > CURRENT_DATE - interval '2 years' THEN card_brand END AS card_brand, "
        "CASE WHEN payment_date > CURRENT_DATE - interval '2 years' THEN card_last_digits END AS card_last_digits, "
        "metadata->>'decline_code' AS decline FROM platform_transaction_payment_history WHERE transaction_id = $1 ORDER BY id",
        tx["id"],
    )
    assert len(payments) == 3  # doc 002: two declines, then the approval
    got = found["payments"]["nodes"]
    assert [
        (
            p["paymentId"],
            p["paymentMethod"],
            p["paymentType"],
            p["installments"],
            p["value"],
            p["cardBrand"],
            p["cardLastDigits"],
        )
        for p in got
    ] == [
        (
            r["id"],
            r["m"].upper(),
            r["t"].upper(),
            r["installments"],
            r["v"],
            r["card_brand"],
            r["card_last_digits"],
        )
        for r in payments
    ]
    assert [p["metadata"].get("decline_code") for p in got] == [r["decline"] for r in payments]
    assert got[0]["metadata"]["decline_code"] == "insufficient_funds"

    utms = rows(
        seeded_db_url,
        "SELECT id, utm_source, utm_medium, utm_campaign, utm_content FROM platform_utm_history WHERE transaction_id = $1 ORDER BY capture_date, id",
        tx["id"],
    )
    assert found["utmHistory"]["nodes"] == [
        {
            "utmId": r["id"],
            "utmSource": r["utm_source"],
            "utmMedium": r["utm_medium"],
            "utmCampaign": r["utm_campaign"],
            "utmContent": r["utm_content"],
        }
        for r in utms
    ]
    assert found["utmHistory"]["nodes"][0]["utmCampaign"] == "summer_launch_2023"

    invoices = rows(
        seeded_db_url,
        "SELECT id, invoice_number, invoice_key, status, pdf_url FROM platform_software_invoice_history WHERE transaction_id = $1 ORDER BY id",
        tx["id"],
    )
    assert found["invoices"]["nodes"] == [
        {
            "invoiceId": r["id"],
            "invoiceNumber": r["invoice_number"],
            "invoiceKey": r["invoice_key"],
            "status": r["status"],
            "pdfUrl": r["pdf_url"],
        }
        for r in invoices
    ]
    assert invoices

    snapshots = rows(
        seeded_db_url,
        "SELECT s.id, s.code, s.offer_id, s.offer_name, o.name FROM platform_sale_offer_history s LEFT JOIN offers o ON o.offer_id = s.offer_id WHERE s.transaction_id = $1 ORDER BY s.id",
        tx["id"],
    )
    assert found["offerSnapshots"]["nodes"] == [
        {
            "snapshotId": r["id"],
            "code": r["code"],
            "offerId": r["offer_id"],
            "offerName": r["offer_name"],
            "offer": {"name": r["name"]},
        }
        for r in snapshots
    ]
    # Doc 002's dispute: the buyer bought the 12-lesson version; the offer now reads 15.
    (snapshot,) = found["offerSnapshots"]["nodes"]
    assert snapshot["code"] == "BASICCOURSE"
    assert "12 aulas" in snapshot["offerName"] and "15 aulas" in snapshot["offer"]["name"]

    commissions = rows(
        seeded_db_url,
        "SELECT id, source, amount::text AS amount, recipient_name FROM platform_commission WHERE transaction_id = $1 ORDER BY id",
        tx["id"],
    )
    assert found["commissions"]["nodes"] == [
        {
            "commissionId": r["id"],
            "source": r["source"],
            "amount": r["amount"],
            "recipientName": r["recipient_name"],
        }
        for r in commissions
    ]


def test_money_comes_back_as_exact_decimal_strings(analyst: httpx.Client, seeded_db_url: str) -> None:
    (tx,) = rows(seeded_db_url, "SELECT platform FROM transactions WHERE transaction_id = 'TX987654'")
    found = data(analyst, HISTORY, transactionId="TX987654", platform=tx["platform"])["transaction"]
    amounts = [c["amount"] for c in found["commissions"]["nodes"]]
    assert all(isinstance(a, str) for a in [*amounts, found["offerPrice"]])
    assert sorted(amounts) == ["176.5000", "20.5000"]
    # The split adds up to the price to the cent, which floats would not promise.
    assert sum(Decimal(a) for a in amounts) == Decimal(found["offerPrice"]) == Decimal("197")


def test_customer_by_email_ignores_case_and_spaces(analyst: httpx.Client, seeded_db_url: str) -> None:
    query = """query ($email: String!) { customer(email: $email) {
        customerId email transactions(first: 100) { totalCount nodes { transactionId orderDate } } } }"""
    found = data(analyst, query, email="CLIENTE@exemplo.com ")["customer"]
    expected = rows(
        seeded_db_url,
        "SELECT transaction_id FROM transactions WHERE customer_id = 12345 ORDER BY order_date DESC, id DESC",
    )

    assert (found["customerId"], found["email"]) == (12345, "cliente@exemplo.com")
    assert [t["transactionId"] for t in found["transactions"]["nodes"]] == [
        r["transaction_id"] for r in expected
    ]
    assert {"TX987654", "TX123456"} <= {r["transaction_id"] for r in expected}
    assert found["transactions"]["totalCount"] == len(expected)

    same = data(
        analyst,
        '{ customer(customerId: 12345) { customerId } customers(email: "Cliente@Exemplo.com") { nodes { customerId } } }',
    )
    assert same == {"customer": {"customerId": 12345}, "customers": {"nodes": [{"customerId": 12345}]}}


def test_customer_personal_data_is_masked_for_viewers(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    query = "{ customer(customerId: 12345) { name email phone document hashedEmail } }"
    (row,) = rows(
        seeded_db_url, "SELECT name, email, phone, document, hashed_email FROM customers WHERE id = 12345"
    )
    with seeded_server.client(make_seeded_key("viewer")) as viewer:
        masked = data(viewer, query)["customer"]
    with seeded_server.client(make_seeded_key("analyst")) as analyst:
        shown = data(analyst, query)["customer"]

    assert masked == {
        "name": None,
        "email": None,
        "phone": None,
        "document": None,
        "hashedEmail": None,
    }
    assert shown == {
        "name": row["name"],
        "email": row["email"],
        "phone": row["phone"],
        "document": row["document"],
        "hashedEmail": row["hashed_email"],
    }


def test_transaction_lead_is_the_buyers_latest_lead(analyst: httpx.Client, seeded_db_url: str) -> None:
    (with_lead,) = rows(
        seeded_db_url,
        """SELECT t.id, l.lead_id::text AS lead_id, c.hashed_email FROM transactions t
           JOIN customers c ON c.id = t.customer_id
           JOIN LATERAL (SELECT lead_id FROM leads WHERE hashed_email = c.hashed_email
                         ORDER BY created_at DESC, lead_id DESC LIMIT 1) l ON true
           ORDER BY t.id LIMIT 1""",
    )
    (without,) = rows(
        seeded_db_url,
        """SELECT t.id FROM transactions t JOIN customers c ON c.id = t.customer_id
           WHERE NOT EXISTS (SELECT 1 FROM leads WHERE hashed_email = c.hashed_email) ORDER BY t.id LIMIT 1""",
    )
    query = """query ($a: Int!, $b: Int!) { a: transaction(internalId: $a) { lead { leadId } customer { leads { totalCount } } }
                                          b: transaction(internalId: $b) { lead { leadId } } }"""
    found = data(analyst, query, a=with_lead["id"], b=without["id"])
    (leads,) = rows(
        seeded_db_url, "SELECT count(*) FROM leads WHERE hashed_email = $1", with_lead["hashed_email"]
    )

    assert found["a"]["lead"] == {"leadId": with_lead["lead_id"]}
    assert found["a"]["customer"]["leads"]["totalCount"] == leads["count"]
    assert found["b"] == {"lead": None}


def test_catalog_costs_and_statuses_match_sql(analyst: httpx.Client, seeded_db_url: str) -> None:
    query = """{
      offers(code: "BASICCOURSE") { nodes { offerId internalId price product { productId } snapshots { totalCount } } }
      marketingCosts(costDate: {from: "2023-01-01", to: "2023-04-01"}) { totalCount }
      transactionStatuses { statusId code }
    }"""
    found = data(analyst, query)
    offers = rows(
        seeded_db_url,
        """SELECT o.offer_id, o.id, o.price::text AS price, o.product_id,
                  (SELECT count(*) FROM platform_sale_offer_history s WHERE s.offer_id = o.offer_id) AS sold
           FROM offers o WHERE o.code = 'BASICCOURSE' ORDER BY o.id""",
    )
    (costs,) = rows(
        seeded_db_url,
        "SELECT count(*) FROM marketing_costs WHERE cost_date >= '2023-01-01' AND cost_date < '2023-04-01'",
    )
    statuses = rows(seeded_db_url, "SELECT id, code FROM transaction_statuses ORDER BY id")

    assert found["offers"]["nodes"] == [
        {
            "offerId": r["offer_id"],
            "internalId": r["id"],
            "price": r["price"],
            "product": {"productId": r["product_id"]},
            "snapshots": {"totalCount": r["sold"]},
        }
        for r in offers
    ]
    assert found["marketingCosts"]["totalCount"] == costs["count"] > 0
    assert found["transactionStatuses"] == [{"statusId": r["id"], "code": r["code"]} for r in statuses]


def test_unknown_ids_are_null(analyst: httpx.Client) -> None:
    query = """{ a: customer(customerId: -1) { customerId } b: customer(email: "nobody@nowhere.example") { customerId }
                 c: transaction(internalId: -1) { transactionId } d: transaction(transactionId: "TX987654", platform: "nowhere") { transactionId } }"""
    assert data(analyst, query) == {"a": None, "b": None, "c": None, "d": None}


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ('{ transaction(transactionId: "TX987654") { internalId } }', "platform"),
        ("{ transaction { internalId } }", "id"),
        ('{ customer(customerId: 12345, email: "cliente@exemplo.com") { customerId } }', "id"),
        ('{ transaction(internalId: 1, transactionId: "TX987654") { internalId } }', "id"),
        ('{ transaction(internalId: 1, platform: "hotmart") { internalId } }', "platform"),
        ("{ customer { customerId } }", "id"),
    ],
)
def test_ambiguous_or_incomplete_lookups_name_the_argument(
    analyst: httpx.Client, query: str, argument: str
) -> None:
    body = post(analyst, query)
    (error,) = body["errors"]
    assert f"'{argument}'" in error["message"]
    assert error["extensions"]["argument"] == argument


def test_nested_lists_cost_the_same_statements_for_5_or_50_transactions(
    seeded_server: LiveServer, analyst: httpx.Client
) -> None:
    query = """query ($first: Int!) { transactions(first: $first) { nodes {
        customer { customerId leads { totalCount } } status { code } lead { leadId }
        items { nodes { unitPrice product { name offers { nodes { offerId } } } } }
        payments { nodes { paymentMethod value } } utmHistory { nodes { utmSource } } invoices { nodes { status } }
        offerSnapshots { nodes { offerName offer { name } } } commissions { nodes { amount } } } } }"""
    data(analyst, "{ transactionStatuses { code } }")  # the key's first use also records last_used_at
    counts = []
    for first in (5, 50):
        seeded_server.counter.reset()
        assert len(data(analyst, query, first=first)["transactions"]["nodes"]) == first
        counts.append(seeded_server.counter.count)
    assert counts[0] == counts[1], seeded_server.counter.statements
