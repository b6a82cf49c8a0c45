"""`rastro accounts` and `rastro worker --once` as processes: credentials go in sealed, waiting rows go out."""

import json

from integrations.secret_box import SecretBox
from tests.delivery.arrange import SECRET_KEY, by_platform, make_lead, make_site, queue_conversions, sync_of
from tests.delivery.fakes_fixture import Fakes
from tests.delivery.processes import environment, rastro
from tests.sql import fetch_one


def test_rows_waiting_for_credentials_go_out_once_an_admin_sets_them(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    lead = make_lead(db_url, site)
    (conversion,) = queue_conversions(db_url, lead)
    env = environment(db_url, fakes)

    first = rastro("worker", "--once", env=env)
    assert first.returncode == 0, first.stderr
    assert "meta:not_configured 1" in first.stdout
    assert by_platform(db_url, conversion)["meta"]["status"] == "not_configured"

    saved = rastro(
        "accounts", "set", "--domain", str(site.domain_id), "--destination", "meta", "--name", "pixel principal",
        "--setting", "pixel_id=1234567890", "--secrets-json", "-",
        env=env, stdin=json.dumps({"access_token": "test-token"}),
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    assert "1 deliveries due again" in saved.stdout
    assert sync_of(db_url, conversion)["meta"] == "pending"

    second = rastro("worker", "--once", env=env)
    assert second.returncode == 0, second.stderr
    assert "meta:delivered 1" in second.stdout
    assert by_platform(db_url, conversion)["meta"]["status"] == "delivered"
    assert sync_of(db_url, conversion)["meta"] == "success"

    stored = fetch_one(db_url, "SELECT settings, secrets FROM delivery_accounts WHERE destination = 'meta'")
    assert b"test-token" not in bytes(stored["secrets"])  # sealed at rest
    assert SecretBox(SECRET_KEY).unseal(bytes(stored["secrets"])) == {"access_token": "test-token"}
    listed = rastro("accounts", "list", env=env)
    assert "pixel principal" in listed.stdout and "secrets set" in listed.stdout
    assert "test-token" not in listed.stdout


def test_a_bad_setting_is_refused_naming_the_field(db_url: str) -> None:
    site = make_site(db_url)
    result = rastro(
        "accounts", "set", "--domain", str(site.domain_id), "--destination", "google_ads", "--name", "ads",
        "--setting", "customer_id=12x", "--setting", "conversion_action_id=5", "--secret", "access_token=t",
        env=environment(db_url),
    )  # fmt: skip
    assert result.returncode == 2
    assert "settings.customer_id" in result.stderr and "digits" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_legacy_google_api_needs_a_developer_token(db_url: str) -> None:
    site = make_site(db_url)
    result = rastro(
        "accounts", "set", "--domain", str(site.domain_id), "--destination", "google_ads", "--name", "ads",
        "--setting", "customer_id=123-456-7890", "--setting", "conversion_action_id=5",
        "--setting", "api=google_ads", "--secret", "access_token=t",
        env=environment(db_url),
    )  # fmt: skip
    assert result.returncode == 2
    assert "secrets.developer_token" in result.stderr


def test_the_worker_refuses_to_start_without_a_secret_key(db_url: str) -> None:
    env = environment(db_url)
    del env["RASTRO_SECRET_KEY"]
    result = rastro("worker", "--once", env=env)
    assert result.returncode == 2
    assert "RASTRO_SECRET_KEY" in result.stderr
