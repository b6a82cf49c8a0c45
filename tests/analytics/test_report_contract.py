"""What every report promises: who may run it, clear argument errors, and one SQL statement per answer."""

import pytest

from tests.analytics.examples import report
from tests.conftest import KeyMaker
from tests.live import LiveServer

QUERY = "{ analytics { visitorTypes { rows { visitorType } } } }"

# Every report with arguments that make it answer rows on the seed.
REPORTS = [
    ("campaignPerformance", "utmCampaign", {}),
    ("landingPageFunnel", "pageName", {}),
    ("visitorTypes", "visitorType", {}),
    ("channelRoi", "channel", {}),
    ("paymentFailures", "errorCode", {"customerId": ("Int", 12345)}),
    ("paymentSuccessRates", "attempts", {}),
    ("supportTimeline", "status", {"internalId": ("Int", 987654)}),
    ("sourceMediumRoi", "transactions", {}),
    ("adVariants", "revenue", {}),
    ("touchJourneys", "customerId", {}),
    ("affiliateCorrelation", "transactionCount", {}),
    ("customerInvoices", "orderId", {"customerId": ("Int", 12345)}),
    ("invoiceReconciliation", "month", {}),
    ("invoiceAudit", "situation", {}),
    ("offerChanges", "totalSales", {"offerId": ("String!", "OFFER123")}),
    ("transactionOffer", "offerStatus", {"transactionId": ("String", "TX987654")}),
    ("offerVersions", "offerVersion", {"code": ("String!", "BASICCOURSE")}),
    ("transaction360", "productName", {"transactionId": ("String", "TX123456")}),
    ("transactionTotals", "count", {"groupBy": ("[GroupKey!]!", ["UTM_SOURCE", "AFFILIATE", "MONTH"])}),
    ("sessionTotals", "count", {"groupBy": ("[GroupKey!]!", ["UTM_CONTENT", "DAY"])}),
    ("attribution", "revenue", {"model": ("AttributionModel!", "TIME_DECAY")}),
    ("compareModels", "key", {"groupBy": ("AttributionGroupBy", "LANDING_PAGE")}),
    ("abTests", "visitors", {}),
]


@pytest.mark.parametrize(("field", "selected", "args"), REPORTS, ids=[r[0] for r in REPORTS])
def test_each_report_is_one_statement(
    report_server: LiveServer, analyst: str, field: str, selected: str, args: dict[str, tuple[str, object]]
) -> None:
    with report_server.client(analyst) as client:
        report(client, "visitorTypes", "visitorType")  # the key is now cached: no lookup below
        report_server.counter.reset()
        answer = report(client, field, selected, **args)
    assert answer["rows"]
    assert report_server.counter.count == 1, report_server.counter.statements


@pytest.mark.parametrize("role", ["analyst", "admin", "viewer"])
def test_reading_roles_may_run_reports(report_server: LiveServer, report_keys: KeyMaker, role: str) -> None:
    with report_server.client(report_keys(role)) as client:
        answer = client.post("/graphql", json={"query": QUERY}).json()
    assert "errors" not in answer
    assert {r["visitorType"] for r in answer["data"]["analytics"]["visitorTypes"]["rows"]} == {
        "NEW",
        "RETURNING",
        "FREQUENT",
    }


def test_connectors_may_not(report_server: LiveServer, report_keys: KeyMaker) -> None:
    with report_server.client(report_keys("connector")) as client:
        answer = client.post("/graphql", json={"query": QUERY}).json()
    assert answer.get("data") is None
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "role is connector" in answer["errors"][0]["message"]


def test_ingest_keys_and_anonymous_requests_are_refused(
    report_server: LiveServer, report_keys: KeyMaker
) -> None:
    with report_server.client(report_keys("ingest")) as client:
        assert client.post("/graphql", json={"query": QUERY}).status_code == 403
    with report_server.client() as client:
        assert client.post("/graphql", json={"query": QUERY}).status_code == 401


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            '{ analytics { channelRoi(period: {timeZone: "Mars/Olympus"}) { rows { channel } } } }',
            "Argument 'period.timeZone' is not an IANA time zone",
        ),
        (
            # Within the text limit (64 characters) but 256 bytes: the zone file's name is too long to open.
            '{ analytics { channelRoi(period: {timeZone: "%s"}) { rows { channel } } } }'
            % ("\U0008baf3" * 64),
            "Argument 'period.timeZone' is not an IANA time zone",
        ),
        (
            '{ analytics { channelRoi(period: {from: "2024-02-01", to: "2024-01-01"}) { rows { channel } } } }',
            "Argument 'period.to' must be after 'from' (2024-02-01)",
        ),
        (
            '{ analytics { supportTimeline(internalId: 1, transactionId: "TX1") { rows { status } } } }',
            "Argument 'id' or 'internalId' or 'transactionId': give exactly one",
        ),
        (
            '{ analytics { transaction360(id: "Q3VzdG9tZXI6MQ==") { rows { productName } } } }',
            "Argument 'id' is the global id of a Customer, not of a Transaction",
        ),
        (
            "{ analytics { paymentFailures { rows { errorCode } } } }",
            "Argument 'customerId' or 'customerEmail': give exactly one",
        ),
        (
            '{ analytics { channelRoi(period: {from: "2024-13-01"}) { rows { channel } } } }',
            "Argument 'period' has an invalid value",
        ),
    ],
)
def test_bad_arguments_say_what_is_wrong(
    report_server: LiveServer, analyst: str, query: str, message: str
) -> None:
    with report_server.client(analyst) as client:
        answer = client.post("/graphql", json={"query": query}).json()
    assert answer.get("data") is None
    assert [e["message"] for e in answer["errors"] if message in e["message"]], answer["errors"]
