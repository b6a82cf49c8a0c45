"""All fake outside services at once, and the worker configured against them."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from integrations.delivery.config import DeliveryConfig, Endpoints
from tests.fakes.crm import FakeCrm
from tests.fakes.google import FakeGoogle
from tests.fakes.http_server import serve
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.meta import FakeMeta
from tests.fakes.platform import FakePlatform
from tests.fakes.tiktok import FakeTikTok


@dataclass
class Fakes:
    google: FakeGoogle
    meta: FakeMeta
    linkedin: FakeLinkedIn
    tiktok: FakeTikTok
    crm: FakeCrm
    urls: dict[str, str]

    def ad_platforms(self) -> dict[str, FakePlatform]:
        """The four ad platforms' fakes, by outbox platform name."""
        return {
            "google_ads": self.google,
            "meta": self.meta,
            "linkedin": self.linkedin,
            "tiktok": self.tiktok,
        }

    def endpoints(self) -> Endpoints:
        return Endpoints(
            google_data_manager=self.urls["google"],
            google_ads=self.urls["google"],
            google_oauth=self.urls["google"] + "/token",
            meta=self.urls["meta"],
            linkedin=self.urls["linkedin"],
            tiktok=self.urls["tiktok"],
        )

    def config(self, **overrides: object) -> DeliveryConfig:
        values: dict[str, object] = {
            "endpoints": self.endpoints(),
            # Generous: a fake answers in milliseconds, but a loaded CI machine once took over 1 s.
            "request_timeout": 10.0,
            "backoff_base": 0.01,
            "backoff_cap": 0.05,
            "poll_seconds": 0.05,
            "lease_seconds": 30.0,
        }
        values.update(overrides)
        return DeliveryConfig(**values)  # type: ignore[arg-type]

    def environment(self) -> dict[str, str]:
        """RASTRO_* variables pointing a `rastro worker` process at the fakes."""
        endpoints = self.endpoints()
        return {
            "RASTRO_GOOGLE_DATA_MANAGER_URL": endpoints.google_data_manager,
            "RASTRO_GOOGLE_ADS_URL": endpoints.google_ads,
            "RASTRO_GOOGLE_OAUTH_URL": endpoints.google_oauth,
            "RASTRO_META_URL": endpoints.meta,
            "RASTRO_LINKEDIN_URL": endpoints.linkedin,
            "RASTRO_TIKTOK_URL": endpoints.tiktok,
        }


@contextmanager
def running_fakes() -> Iterator[Fakes]:
    platforms = {
        "google": FakeGoogle(),
        "meta": FakeMeta(),
        "linkedin": FakeLinkedIn(),
        "tiktok": FakeTikTok(),
        "crm": FakeCrm(),
    }
    with ExitStack() as stack:
        urls = {name: stack.enter_context(serve(fake)).url for name, fake in platforms.items()}
        yield Fakes(urls=urls, **platforms)  # type: ignore[arg-type]
