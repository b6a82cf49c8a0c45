"""The delivery worker after an erasure: the erased lead's conversion never reaches any platform and says
so in its sync status; another lead's conversion of the same batch is delivered."""

from models.enums import Destination
from tests.conftest import KeyMaker
from tests.delivery.arrange import by_platform, make_lead, make_site, queue_conversions, set_account, sync_of
from tests.delivery.conftest import drain
from tests.delivery.fakes_fixture import running_fakes
from tests.delivery.test_delivery_api import META_ONLY
from tests.lgpd.test_erase import erase
from tests.live import live_server


def test_a_queued_conversion_of_an_erased_lead_is_never_sent(db_url: str, make_key: KeyMaker) -> None:
    site = make_site(db_url)
    set_account(db_url, site, Destination.META)
    erased = make_lead(db_url, site, email="apagar@exemplo-lgpd.com.br", phone=None)
    kept = make_lead(db_url, site, email="manter@exemplo-lgpd.com.br", phone=None)
    (gone,) = queue_conversions(db_url, erased)  # click ids of every platform: a row for each
    (sent,) = queue_conversions(db_url, kept, clicks=META_ONLY)

    with live_server(db_url) as live:
        result = erase(live, make_key("admin"), email="APAGAR@exemplo-lgpd.com.br", reason="titular pediu")
    assert result["errors"] == []
    with running_fakes() as fakes:
        drain(db_url, fakes.config())
        received = set(fakes.meta.ids())

    assert received == {by_platform(db_url, sent)["meta"]["dedup_key"]}
    canceled = by_platform(db_url, gone)
    assert {row["status"] for row in canceled.values()} == {"canceled"}
    assert sync_of(db_url, gone) == dict.fromkeys(canceled, "canceled")
    assert by_platform(db_url, sent)["meta"]["status"] == "delivered"
