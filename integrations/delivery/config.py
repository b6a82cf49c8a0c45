"""What the delivery worker needs to know: where each platform is, and how hard to push."""

from dataclasses import dataclass, field

from models.enums import Destination


@dataclass(frozen=True)
class Endpoints:
    """Base URLs; tests point them at local fakes."""

    google_data_manager: str = "https://datamanager.googleapis.com"
    google_ads: str = "https://googleads.googleapis.com"
    google_oauth: str = "https://oauth2.googleapis.com/token"
    meta: str = "https://graph.facebook.com"
    linkedin: str = "https://api.linkedin.com"
    tiktok: str = "https://business-api.tiktok.com"


@dataclass(frozen=True)
class DeliveryConfig:
    endpoints: Endpoints = field(default_factory=Endpoints)
    # Requests in flight per destination in one worker process (each lane sends one at a time).
    concurrency: int = 4
    # Rows a lane claims at once; more than a platform's batch limit are sent as several requests.
    batch_size: int = 500
    request_timeout: float = 15.0
    # A claimed row whose worker stops renewing this lease is claimed again by another worker.
    lease_seconds: float = 120.0
    backoff_base: float = 30.0
    backoff_cap: float = 3600.0
    max_attempts: int = 10
    poll_seconds: float = 1.0
    # How long a stopping worker waits for sends in flight before releasing what it claimed.
    shutdown_grace: float = 20.0
    destinations: tuple[Destination, ...] = tuple(Destination)
