"""Server errors, throttling, slow answers and reset connections, on every ad platform the worker sends to."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

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
from tests.fakes.google import rpc_error
from tests.fakes.linkedin import li_error
from tests.fakes.platform import FakePlatform, refuse, reset, slow
from tests.sql import execute


@dataclass(frozen=True)
class Platform:
    name: str
    destination: Destination
    clicks: ClickIds
    error: Any  # the body the platform answers a server error with
    message: str  # what of it the sync log must keep
    resent_seen: int  # times the fake records the id once resent after an ambiguous failure

    def fake(self, fakes: Fakes) -> FakePlatform:
        return fakes.ad_platforms()[self.name]

    def __str__(self) -> str:
        return self.name


PLATFORMS = [
    Platform("google_ads", Destination.GOOGLE_ADS, ClickIds(gclid="Cj0-gclid", clicked_at=hours_ago(30)),
             rpc_error(500, "INTERNAL", "Internal error encountered.").body, "Internal error encountered", 2),
    Platform("meta", Destination.META, ClickIds(fbclid="IwAR-fbclid", clicked_at=hours_ago(30)),
             {"error": {"message": "An unexpected error has occurred.", "code": 2}}, "unexpected error", 2),
    Platform("linkedin", Destination.LINKEDIN, ClickIds(li_fat_id="li-1", clicked_at=hours_ago(30)),
             li_error(500, "Internal server error", "INTERNAL_SERVER_ERROR"), "Internal server error", 1),  # the resend gets 409
    Platform("tiktok", Destination.TIKTOK, ClickIds(ttclid="E.C.P.tt", clicked_at=hours_ago(30)),
             {"code": 50000, "message": "Internal service error"}, "Internal service error", 2),
]  # fmt: skip
every_platform = pytest.mark.parametrize("platform", PLATFORMS, ids=str)


def one_conversion(url: str, platform: Platform) -> Any:
    site = make_site(url)
    set_account(url, site, platform.destination)
    (conversion,) = queue_conversions(url, make_lead(url, site, phone=None), clicks=platform.clicks)
    return conversion


@every_platform
def test_server_errors_are_retried_until_the_platform_accepts(
    db_url: str, fakes: Fakes, platform: Platform
) -> None:
    conversion = one_conversion(db_url, platform)
    platform.fake(fakes).script(refuse(500, platform.error), refuse(503, platform.error))

    drain_until_settled(db_url, fakes.config())

    row = by_platform(db_url, conversion)[platform.name]
    assert (row["status"], row["attempts"], row["last_error"]) == ("delivered", 3, None)
    attempts = logs(db_url, conversion, platform.name)
    assert [(a["sync_status"], a["http_status_code"]) for a in attempts] == [
        ("failed", 500),
        ("failed", 503),
        ("success", 200),
    ]
    assert platform.message in attempts[0]["response_data"]["message"]
    assert sync_of(db_url, conversion)[platform.name] == "success"


@every_platform
def test_a_429_waits_at_least_as_long_as_retry_after_says(
    db_url: str, fakes: Fakes, platform: Platform
) -> None:
    conversion = one_conversion(db_url, platform)
    platform.fake(fakes).script(refuse(429, platform.error, {"Retry-After": "60"}))

    drain(db_url, fakes.config())

    row = by_platform(db_url, conversion)[platform.name]
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert "429" in row["last_error"]
    assert row["next_attempt_at"] - row["updated_at"] >= dt.timedelta(seconds=60)
    assert sync_of(db_url, conversion)[platform.name] == "pending"  # not final: still on its way
    assert drain(db_url, fakes.config()) == {}  # not due yet
    execute(db_url, "UPDATE conversion_outbox SET next_attempt_at = now() WHERE id = $1", row["id"])
    drain(db_url, fakes.config())
    assert by_platform(db_url, conversion)[platform.name]["status"] == "delivered"


@every_platform
def test_an_answer_that_never_comes_is_resent_with_the_same_event_id(
    db_url: str, fakes: Fakes, platform: Platform
) -> None:
    conversion = one_conversion(db_url, platform)
    platform.fake(fakes).script(slow(3.0))  # processed, answered after the worker's 1 s timeout

    drain_until_settled(db_url, fakes.config(request_timeout=1.0))

    row = by_platform(db_url, conversion)[platform.name]
    assert (row["status"], row["attempts"]) == ("delivered", 2)
    assert platform.fake(fakes).ids() == {f"{conversion}:{platform.name}": platform.resent_seen}
    first, second = logs(db_url, conversion, platform.name)
    assert first["http_status_code"] is None and "timeout" in first["response_data"]["message"]
    assert first["request_payload"] == second["request_payload"]


@every_platform
def test_a_reset_connection_is_resent_with_the_same_event_id(
    db_url: str, fakes: Fakes, platform: Platform
) -> None:
    conversion = one_conversion(db_url, platform)
    platform.fake(fakes).script(reset())

    drain_until_settled(db_url, fakes.config())

    row = by_platform(db_url, conversion)[platform.name]
    assert (row["status"], row["attempts"]) == ("delivered", 2)
    assert platform.fake(fakes).ids() == {f"{conversion}:{platform.name}": platform.resent_seen}
    assert "connection lost" in logs(db_url, conversion, platform.name)[0]["response_data"]["message"]
