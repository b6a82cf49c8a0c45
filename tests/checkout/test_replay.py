"""`rastro checkout-events replay`: a kept event whose sale could not be applied is applied once, later."""

import orjson

from tests.checkout import payloads
from tests.checkout.conftest import make_domain
from tests.delivery.processes import environment, rastro
from tests.sql import fetch, fetch_one

KEPT = """
INSERT INTO checkout_events (platform, dedup_key, event_type, domain_id, payload, status, error)
VALUES ('hotmart', $1, 'PURCHASE_APPROVED', $2, $3::jsonb, 'failed', 'unexpected KeyError')
RETURNING id
"""


def keep_failed(db_url: str, payload: dict[str, object], domain: object) -> int:
    """An event an earlier version kept as failed (its sale not applied), as the endpoint stores one."""
    row = fetch_one(db_url, KEPT, str(payload["id"]), domain, orjson.dumps(payload).decode())
    return int(row["id"])


def test_a_failed_event_is_applied_once_and_one_that_fails_again_says_why(db_url: str) -> None:
    domain = make_domain(db_url)
    good = payloads.hotmart(transaction="HP-REPLAYED-1")
    broken = payloads.hotmart(transaction="HP-STILL-BROKEN")
    broken["data"]["buyer"]["email"] = ""  # type: ignore[index]
    good_id, broken_id = keep_failed(db_url, good, domain), keep_failed(db_url, broken, domain)
    env = environment(db_url)

    first = rastro("checkout-events", "replay", env=env)
    second = rastro("checkout-events", "replay", env=env)

    assert first.returncode == 0, first.stderr
    sale = fetch_one(
        db_url,
        "SELECT id, domain_id, offer_price::text AS price FROM transactions WHERE transaction_id = 'HP-REPLAYED-1'",
    )
    assert sale["domain_id"] == domain
    assert sale["price"] == "1500.0000"  # the postback's value, exact
    assert f"event {good_id}: applied transaction {sale['id']}" in first.stdout
    events = {
        r["id"]: r for r in fetch(db_url, "SELECT id, status, error, transaction_id FROM checkout_events")
    }
    assert (events[good_id]["status"], events[good_id]["error"]) == ("applied", None)
    assert events[good_id]["transaction_id"] == sale["id"]
    assert events[broken_id]["status"] == "failed"
    assert events[broken_id]["error"] not in (None, "unexpected KeyError")  # the reason of this replay
    assert f"event {broken_id}: failed: {events[broken_id]['error']}" in first.stdout
    # Replaying again touches only what is still failed: the applied sale is not written twice.
    assert second.returncode == 0, second.stderr
    assert "Replayed 1 failed events: 0 applied, 1 not." in second.stdout
    count = fetch_one(db_url, "SELECT count(*) FROM transactions WHERE transaction_id LIKE 'HP-%'")
    assert count["count"] == 1
