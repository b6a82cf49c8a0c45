"""Google: Data Manager by default, the Google Ads API for accounts configured for it, retractions, tokens."""

from integrations.outbox import ClickIds
from models.enums import Destination
from tests.delivery.arrange import (
    by_platform,
    hours_ago,
    logs,
    make_lead,
    make_site,
    queue_conversions,
    queue_retractions,
    set_account,
    sync_of,
)
from tests.delivery.conftest import drain, drain_until_settled
from tests.delivery.fakes_fixture import Fakes
from tests.sql import execute

GCLID = ClickIds(gclid="Cj0-gclid", clicked_at=hours_ago(30))
LEGACY = {"api": "google_ads"}
DEVELOPER = {"access_token": "test-token", "developer_token": "dev-token"}


def google_site(
    url: str, settings: dict[str, str] | None = None, secrets: dict[str, str] | None = None
) -> object:
    site = make_site(url)
    set_account(url, site, Destination.GOOGLE_ADS, settings=settings, secrets=secrets)
    return make_lead(url, site)


def test_the_legacy_api_reads_partial_failures_row_by_row(db_url: str, fakes: Fakes) -> None:
    lead = google_site(db_url, LEGACY, DEVELOPER)
    clicks = ClickIds(gclid="g", wbraid="w", clicked_at=hours_ago(30))
    conversions = queue_conversions(db_url, lead, count=2, clicks=clicks)
    fakes.google.received[f"{conversions[0]}:google_ads"] += 1  # Google already has this order

    drain_until_settled(db_url, fakes.config())

    already, fine = (by_platform(db_url, c)["google_ads"] for c in conversions)
    assert (already["status"], fine["status"]) == ("delivered", "delivered")
    (batch,) = fakes.google.batches()
    assert batch["partialFailure"] is True
    first = batch["conversions"][0]
    assert first["conversionAction"] == "customers/1234567890/conversionActions/555"
    assert first["orderId"] == f"{conversions[0]}:google_ads"
    assert first["gclid"] == "g" and "wbraid" not in first  # one click id: gclid before the braids
    assert len(first["conversionDateTime"]) == len("2025-03-01 14:30:00+00:00")
    request = fakes.google.requests[0]
    assert request.path == "/v21/customers/1234567890:uploadClickConversions"
    assert request.headers["developer-token"] == "dev-token"
    assert (
        "already known to Google" in logs(db_url, conversions[0], "google_ads")[0]["response_data"]["message"]
    )


def test_a_row_google_refuses_fails_with_its_own_message_only(db_url: str, fakes: Fakes) -> None:
    lead = google_site(db_url, LEGACY, DEVELOPER)
    good, bad = queue_conversions(db_url, lead, count=2, clicks=GCLID)
    execute(
        db_url,
        "UPDATE conversion_outbox SET payload = jsonb_set(payload, '{identifiers,hashed_email}', '\"x@y.z\"')"
        " WHERE conversion_id = $1",
        bad,
    )

    drain_until_settled(db_url, fakes.config())

    assert by_platform(db_url, good)["google_ads"]["status"] == "delivered"
    row = by_platform(db_url, bad)["google_ads"]
    assert row["status"] == "failed" and row["attempts"] == 1
    assert row["last_error"].startswith("INVALID_USER_IDENTIFIER")
    assert sync_of(db_url, bad)["google_ads"] == "failed"


def test_data_manager_refuses_a_whole_batch_for_one_event_so_it_is_split(db_url: str, fakes: Fakes) -> None:
    lead = google_site(db_url)
    conversions = queue_conversions(db_url, lead, count=4, clicks=GCLID)
    execute(
        db_url,
        "UPDATE conversion_outbox SET payload = jsonb_set(payload, '{identifiers,hashed_email}', '\"ABC\"')"
        " WHERE conversion_id = $1",
        conversions[1],
    )

    drain_until_settled(db_url, fakes.config())

    statuses = [by_platform(db_url, c)["google_ads"]["status"] for c in conversions]
    assert statuses == ["delivered", "failed", "delivered", "delivered"]
    assert "INVALID_SHA256_FORMAT" in by_platform(db_url, conversions[1])["google_ads"]["last_error"]
    assert all(request.path == "/v1/events:ingest" for request in fakes.google.requests)
    assert "developer-token" not in fakes.google.requests[0].headers


def test_a_click_younger_than_six_hours_waits_without_counting_an_attempt(db_url: str, fakes: Fakes) -> None:
    lead = google_site(db_url)
    (conversion,) = queue_conversions(
        db_url, lead, clicks=ClickIds(gclid="g", clicked_at=hours_ago(1)), sold_at=hours_ago(0.5)
    )

    drain(db_url, fakes.config())

    row = by_platform(db_url, conversion)["google_ads"]
    assert (row["status"], row["attempts"]) == ("pending", 0)
    assert "less than 6 hours old" in row["last_error"]
    assert abs((row["next_attempt_at"] - row["updated_at"]).total_seconds() - 5 * 3600) < 120
    assert not fakes.google.requests


def test_access_tokens_are_minted_from_a_refresh_token_and_renewed_on_401(db_url: str, fakes: Fakes) -> None:
    refreshable = {"refresh_token": "refresh-me", "client_id": "cid", "client_secret": "shh"}
    lead = google_site(db_url, secrets=refreshable)
    first, second = queue_conversions(db_url, lead, count=2, clicks=GCLID)
    execute(
        db_url, "UPDATE conversion_outbox SET next_attempt_at = 'infinity' WHERE conversion_id = $1", second
    )

    drain(db_url, fakes.config())
    assert by_platform(db_url, first)["google_ads"]["status"] == "delivered"
    assert fakes.google.requests[1].headers["authorization"] == "Bearer minted-0"

    fakes.google.tokens.discard("minted-0")  # it expired early: the worker mints another and retries
    execute(db_url, "UPDATE conversion_outbox SET next_attempt_at = now() WHERE conversion_id = $1", second)
    config = fakes.config()
    drain(db_url, config)
    assert by_platform(db_url, second)["google_ads"]["status"] == "delivered"


def test_a_revoked_refresh_token_leaves_the_rows_not_configured(db_url: str, fakes: Fakes) -> None:
    lead = google_site(
        db_url, secrets={"refresh_token": "revoked", "client_id": "cid", "client_secret": "shh"}
    )
    (conversion,) = queue_conversions(db_url, lead, clicks=GCLID)

    drain(db_url, fakes.config())

    row = by_platform(db_url, conversion)["google_ads"]
    assert row["status"] == "not_configured"
    assert "Token has been revoked" in row["last_error"]


def test_a_refund_retracts_the_delivered_conversion_through_the_google_ads_api(
    db_url: str, fakes: Fakes
) -> None:
    lead = google_site(db_url, secrets=DEVELOPER)
    (conversion,) = queue_conversions(db_url, lead, clicks=GCLID, sold_at=hours_ago(30))
    queue_retractions(db_url, conversion, "chargeback")

    drain_until_settled(db_url, fakes.config())

    assert by_platform(db_url, conversion)["google_ads"]["status"] == "delivered"
    retraction = by_platform(db_url, conversion, kind="retraction")["google_ads"]
    assert (retraction["status"], retraction["attempts"]) == ("delivered", 1)
    adjustments = [r for r in fakes.google.requests if r.path.endswith(":uploadConversionAdjustments")]
    (adjustment,) = adjustments[0].json()["conversionAdjustments"]
    assert adjustment["adjustmentType"] == "RETRACTION"
    assert adjustment["orderId"] == f"{conversion}:google_ads"  # the order Google knows the sale by
    assert sync_of(db_url, conversion)["google_ads"] == "success"


def test_a_retraction_without_a_developer_token_is_not_configured(db_url: str, fakes: Fakes) -> None:
    lead = google_site(db_url)
    (conversion,) = queue_conversions(db_url, lead, clicks=GCLID, sold_at=hours_ago(30))
    queue_retractions(db_url, conversion)

    drain_until_settled(db_url, fakes.config())

    retraction = by_platform(db_url, conversion, kind="retraction")["google_ads"]
    assert retraction["status"] == "not_configured"
    assert "the Data Manager API can restate a value but not retract" in retraction["last_error"]


def test_a_retraction_waits_until_the_sale_is_a_day_old(db_url: str, fakes: Fakes) -> None:
    lead = google_site(db_url, secrets=DEVELOPER)
    (conversion,) = queue_conversions(db_url, lead, clicks=GCLID, sold_at=hours_ago(20))
    queue_retractions(db_url, conversion)

    drain(db_url, fakes.config())

    retraction = by_platform(db_url, conversion, kind="retraction")["google_ads"]
    assert (retraction["status"], retraction["attempts"]) == ("pending", 0)
    assert "at least 24 hours old" in retraction["last_error"]


def test_a_retraction_of_a_conversion_never_delivered_has_nothing_to_take_back(
    db_url: str, fakes: Fakes
) -> None:
    lead = google_site(db_url, secrets=DEVELOPER)
    (conversion,) = queue_conversions(
        db_url, lead, clicks=ClickIds(gclid="g", clicked_at=hours_ago(100 * 24)), sold_at=hours_ago(30)
    )
    queue_retractions(db_url, conversion)

    drain_until_settled(db_url, fakes.config())

    assert by_platform(db_url, conversion)["google_ads"]["status"] == "expired"
    retraction = by_platform(db_url, conversion, kind="retraction")["google_ads"]
    assert retraction["status"] == "failed" and "nothing to take back" in retraction["last_error"]
    assert not fakes.google.requests
