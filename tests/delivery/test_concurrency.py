"""RASTRO_DELIVERY_CONCURRENCY bounds the requests one worker has in flight at each platform."""

from models.enums import Destination
from tests.delivery.arrange import make_lead, make_site, queue_conversions, set_account
from tests.delivery.conftest import drain
from tests.delivery.fakes_fixture import Fakes


def test_a_platform_never_sees_more_requests_at_once_than_the_setting_allows(
    db_url: str, fakes: Fakes
) -> None:
    site = make_site(db_url)
    for destination in (Destination.META, Destination.TIKTOK):
        set_account(db_url, site, destination)
    queue_conversions(db_url, make_lead(db_url, site), count=60)
    fakes.meta.delay = fakes.tiktok.delay = 0.3  # slow enough that every lane is busy at once

    counts = drain(db_url, fakes.config(concurrency=3, batch_size=5))

    assert counts["meta:delivered"] == counts["tiktok:delivered"] == 60
    assert len(fakes.meta.requests) == len(fakes.tiktok.requests) == 12
    assert (fakes.meta.peak, fakes.tiktok.peak) == (3, 3)
