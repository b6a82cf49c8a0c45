"""One e-mail rule (email-validator, syntax only) wherever an address comes in or is looked up: a wrong
one is BAD_USER_INPUT naming the argument and the place in it, and nothing is stored."""

from typing import Any

import pytest

from tests.conftest import KeyMaker
from tests.ingest.tracking import counts
from tests.live import LiveServer
from tests.server.test_input_values import assert_bad_input, post
from tests.sql import fetch_one

SCRIPT = "<script>@x.com"
SALE = {
    "platform": "eduzz", "transactionId": "EDZ-1", "status": "APPROVED", "occurredAt": "2026-11-01T10:00:00-03:00",
    "amount": "10", "currency": "BRL", "buyer": {"email": SCRIPT},
    "items": [{"productId": "P-1", "name": "Curso", "unitPrice": "10"}],
}  # fmt: skip
LEAD = "00000000-0000-0000-0000-000000000001"

# (role, document, variables, argument named, place in it)
ENTRY_POINTS: list[tuple[str, str, dict[str, Any], str, str]] = [
    (
        "ingest",
        "mutation C($input: CaptureLeadInput!) { captureLead(input: $input) { counted } }",
        {"input": {"sessionId": "s-1", "email": SCRIPT, "adConsent": True}},
        "input",
        ".email",
    ),
    (
        "connector",
        "mutation U($input: UpdateLeadInput!) { updateLead(input: $input) { lead { leadId } } }",
        {"input": {"leadId": LEAD, "email": SCRIPT}},
        "input",
        ".email",
    ),
    (
        "connector",
        "mutation I($input: IngestTransactionInput!) { ingestTransaction(input: $input) { created } }",
        {"input": SALE},
        "input",
        ".buyer.email",
    ),
    ("admin", "query Q($e: String) { lead(email: $e) { leadId } }", {"e": SCRIPT}, "email", ""),
    ("admin", "query Q($e: String) { customer(email: $e) { id } }", {"e": SCRIPT}, "email", ""),
    ("admin", "query Q($e: String) { customers(email: $e) { totalCount } }", {"e": SCRIPT}, "email", ""),
    (
        "admin",
        "query Q($e: String) { transactions(filter: {customerEmail: $e}) { totalCount } }",
        {"e": SCRIPT},
        "filter",
        ".customerEmail",
    ),
    (
        "admin",
        "query Q($e: String) { analytics { paymentFailures(customerEmail: $e) { rows { errorCode } } } }",
        {"e": SCRIPT},
        "customerEmail",
        "",
    ),
    (
        "admin",
        'query { analytics { customerInvoices(customerEmail: "<script>@x.com") { rows { orderId } } } }',
        {},
        "customerEmail",
        "",
    ),
]


@pytest.mark.parametrize(("role", "document", "variables", "argument", "place"), ENTRY_POINTS)
def test_a_wrong_email_is_bad_user_input_naming_where_it_is(
    server: LiveServer,
    db_url: str,
    make_key: KeyMaker,
    role: str,
    document: str,
    variables: dict[str, Any],
    argument: str,
    place: str,
) -> None:
    error = post(server, make_key(role), document, variables)
    where = f"Argument '{argument}' has an invalid value{' at ' + place if place else ''}:"
    assert_bad_input(error, where, "is not an e-mail address")
    assert SCRIPT not in error["message"]  # the refusal does not repeat the value
    assert fetch_one(db_url, "SELECT count(*) AS n FROM customers")["n"] == 0
    assert counts(db_url) == dict.fromkeys(counts(db_url), 0)
