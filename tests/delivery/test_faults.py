"""Every kind of platform error ends in the right state after the right number of attempts."""

import datetime as dt
import json

from integrations.outbox import ClickIds
from models.enums import Destination
from tests.delivery.arrange import (
    by_platform,
    hours_ago,
    logs,
    make_lead,
    make_site,
    queue_conversions,
    set_account,
    sync_of,
)
from tests.delivery.conftest import drain, drain_until_settled
from tests.delivery.fakes_fixture import Fakes
from tests.fakes.meta import graph_error
from tests.fakes.platform import refuse
from tests.sql import execute

META_ONLY = ClickIds(fbclid="IwAR-fbclid", clicked_at=hours_ago(30))


def meta_site(url: str) -> tuple[object, object]:
    site = make_site(url)
    set_account(url, site, Destination.META)
    return site, make_lead(url, site, phone=None)


def test_a_permanent_error_fails_the_row_once_with_the_platforms_message(db_url: str, fakes: Fakes) -> None:
    _, lead = meta_site(db_url)
    (conversion,) = queue_conversions(db_url, lead, clicks=META_ONLY)
    fakes.meta.script(refuse(400, graph_error("Invalid parameter: custom_data.currency", code=100).body))

    drain_until_settled(db_url, fakes.config())

    row = by_platform(db_url, conversion)["meta"]
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert row["next_attempt_at"] == dt.datetime.max  # asyncpg's 'infinity': never again
    assert "custom_data.currency" in row["last_error"]
    assert sync_of(db_url, conversion)["meta"] == "failed"
    assert len(fakes.meta.requests) == 1


def test_retries_stop_at_max_attempts(db_url: str, fakes: Fakes) -> None:
    _, lead = meta_site(db_url)
    (conversion,) = queue_conversions(db_url, lead, clicks=META_ONLY)
    fakes.meta.script(*[refuse(500, {"error": {"message": "down"}})] * 5)

    drain_until_settled(db_url, fakes.config(max_attempts=3))

    row = by_platform(db_url, conversion)["meta"]
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert "gave up after 3 attempts" in row["last_error"]
    assert sync_of(db_url, conversion)["meta"] == "failed"
    assert len(fakes.meta.requests) == 3


def test_an_old_event_expires_unsent_and_does_not_fail_the_batch(db_url: str, fakes: Fakes) -> None:
    _, lead = meta_site(db_url)
    fresh = queue_conversions(db_url, lead, count=2, clicks=META_ONLY, name="fresh")
    (old,) = queue_conversions(db_url, lead, clicks=META_ONLY, sold_at=hours_ago(8 * 24), name="old")

    drain_until_settled(db_url, fakes.config())

    old_row = by_platform(db_url, old)["meta"]
    assert (old_row["status"], old_row["attempts"]) == ("expired", 0)
    assert "8.0 days old; Meta accepts up to 7 days" in old_row["last_error"]
    assert sync_of(db_url, old)["meta"] == "expired"
    assert [by_platform(db_url, c)["meta"]["status"] for c in fresh] == ["delivered", "delivered"]
    (batch,) = fakes.meta.batches()
    assert sorted(e["event_id"] for e in batch["data"]) == sorted(f"{c}:meta" for c in fresh)


def test_a_batch_the_platform_refuses_for_one_event_is_split_so_the_others_go_through(
    db_url: str, fakes: Fakes
) -> None:
    _, lead = meta_site(db_url)
    conversions = queue_conversions(db_url, lead, count=5, clicks=META_ONLY)
    bad = conversions[2]
    execute(
        db_url,
        "UPDATE conversion_outbox SET payload = jsonb_set(payload, '{identifiers,hashed_email}', '\"not-a-hash\"')"
        " WHERE conversion_id = $1",
        bad,
    )

    drain_until_settled(db_url, fakes.config())

    statuses = {c: by_platform(db_url, c)["meta"]["status"] for c in conversions}
    assert statuses == {c: "failed" if c == bad else "delivered" for c in conversions}
    assert "SHA-256" in by_platform(db_url, bad)["meta"]["last_error"]
    assert set(fakes.meta.ids()) == {f"{c}:meta" for c in conversions if c != bad}
    assert max(fakes.meta.ids().values()) == 1


def test_without_an_account_the_row_is_not_configured_and_never_sent(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    lead = make_lead(db_url, site)
    (conversion,) = queue_conversions(db_url, lead)

    drain(db_url, fakes.config())

    rows = by_platform(db_url, conversion)
    assert {p: r["status"] for p, r in rows.items()} == dict.fromkeys(rows, "not_configured")
    assert all(r["attempts"] == 0 for r in rows.values())
    assert "no active meta account" in rows["meta"]["last_error"]
    assert set(sync_of(db_url, conversion).values()) == {"not_configured"}
    assert not fakes.meta.requests and not fakes.google.requests


def test_rejected_credentials_leave_the_row_not_configured(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    set_account(db_url, site, Destination.LINKEDIN, secrets={"access_token": "revoked"})
    lead = make_lead(db_url, site)
    (conversion,) = queue_conversions(
        db_url, lead, clicks=ClickIds(li_fat_id="li-1", clicked_at=hours_ago(30))
    )

    drain(db_url, fakes.config())

    row = by_platform(db_url, conversion)["linkedin"]
    assert (row["status"], row["attempts"]) == ("not_configured", 1)
    assert "Invalid access token" in row["last_error"]


def test_tiktok_throttling_in_the_body_is_retried(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    set_account(db_url, site, Destination.TIKTOK)
    lead = make_lead(db_url, site)
    (conversion,) = queue_conversions(db_url, lead, clicks=ClickIds(ttclid="tt", clicked_at=hours_ago(30)))
    fakes.tiktok.script(refuse(200, {"code": 40100, "message": "Too many requests"}))

    drain_until_settled(db_url, fakes.config())

    row = by_platform(db_url, conversion)["tiktok"]
    assert (row["status"], row["attempts"]) == ("delivered", 2)
    assert [a["sync_status"] for a in logs(db_url, conversion, "tiktok")] == ["failed", "success"]


def test_linkedin_reports_each_event_and_only_the_bad_one_fails(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    set_account(db_url, site, Destination.LINKEDIN)
    lead = make_lead(db_url, site)
    clicks = ClickIds(li_fat_id="li-1", clicked_at=hours_ago(30))
    good = queue_conversions(db_url, lead, count=2, clicks=clicks, name="good")
    (bad,) = queue_conversions(db_url, lead, clicks=clicks, name="bad")
    execute(
        db_url,
        "UPDATE conversion_outbox SET payload = jsonb_set(payload, '{identifiers,hashed_email}', '\"plain@x.com\"')"
        " WHERE conversion_id = $1",
        bad,
    )

    drain_until_settled(db_url, fakes.config())

    assert [by_platform(db_url, c)["linkedin"]["status"] for c in good] == ["delivered", "delivered"]
    row = by_platform(db_url, bad)["linkedin"]
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert "SHA256_EMAIL must be SHA-256 hex" in row["last_error"]
    assert len(fakes.linkedin.requests) == 1  # per-event statuses: no need to split


def test_payload_of_every_attempt_is_json_with_hashed_identifiers_only(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    for destination in (Destination.GOOGLE_ADS, Destination.META, Destination.LINKEDIN, Destination.TIKTOK):
        set_account(db_url, site, destination)
    lead = make_lead(db_url, site, email="Joao.Souza@empresa.com.br", phone="+5521912345678")
    (conversion,) = queue_conversions(db_url, lead)
    drain_until_settled(db_url, fakes.config())
    for platform in ("google_ads", "meta", "linkedin", "tiktok"):
        text = json.dumps(logs(db_url, conversion, platform), default=str).lower()
        assert "joao" not in text and "empresa" not in text and "912345678" not in text
