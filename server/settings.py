"""Settings read from the environment: RASTRO_* variables plus the conventional DATABASE_URL."""

from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("rastro")) / "pgdata"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RASTRO_", extra="ignore")

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "RASTRO_DATABASE_URL")
    )
    # A streaming replica for reads (GraphQL queries, CSV reports); writes and reads of one's own writes stay
    # on DATABASE_URL. Unset: everything goes to DATABASE_URL.
    database_read_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_READ_URL", "RASTRO_DATABASE_READ_URL")
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # Unset: one per CPU for an external database, one for the embedded one.
    workers: int | None = Field(default=None, ge=1)
    graphiql: bool = True
    # GraphiQL's files from this CDN (e.g. https://unpkg.com) instead of Rastro's own copies; same versions
    # and integrity hashes either way.
    graphiql_cdn: str | None = Field(default=None, pattern=r"^https://[^/\s]+(/[^\s]*)?$")
    default_page_size: int = Field(default=50, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    max_query_depth: int = Field(default=12, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=5000, ge=1)
    # A document's estimated cost, before it runs (schema/cost.py): fields once fragments are expanded, and
    # nodes, the page sizes multiplied through nested connections.
    max_query_fields: int = Field(default=2_000, ge=1)
    max_query_nodes: int = Field(default=500_000, ge=1)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    # An answer longer than this (JSON bytes) is replaced by RESPONSE_TOO_LARGE: the request's memory ceiling.
    max_response_bytes: int = Field(default=16_000_000, ge=1)
    # Requests anyone can send (no key, or a landing page's ingest key) are refused above this, unparsed.
    public_body_bytes: int = Field(default=131_072, ge=1024)
    # Automatic persisted queries each worker remembers, in bytes of memory: their text and 250 bytes an
    # entry (least recent go first).
    persisted_query_cache_bytes: int = Field(default=16_000_000, ge=0)
    statement_timeout_ms: int = Field(default=15_000, ge=0)
    # A request still running after this is cancelled, its SQL with it, and answered TIMEOUT.
    request_timeout_seconds: float = Field(default=30.0, gt=0)
    # A request body that sends nothing for this long is answered 408.
    body_idle_seconds: float = Field(default=10.0, gt=0)
    # Writes wait this long for a row lock, then give up with CONFLICT (retryable).
    lock_timeout_ms: int = Field(default=5_000, ge=0)
    # Each of the read and the write pools, per worker.
    pool_size: int = Field(default=10, ge=1)
    pool_max_overflow: int = Field(default=10, ge=0)
    # How long a request waits for a pooled connection, then gets 503.
    pool_timeout_seconds: float = Field(default=10.0, gt=0)
    # How long opening a database connection may take (a frozen or unreachable database fails, not hangs).
    connect_timeout_seconds: float = Field(default=5.0, gt=0)
    # What 503 answers put in Retry-After while the database is unavailable.
    retry_after_seconds: int = Field(default=2, ge=1)
    log_level: str = "info"
    # Leak hunting (server/memory_report.py): each worker appends a JSON line of what grew to this file every
    # memory_report_seconds; with memory_report_frames > 0 it traces allocations that deep (slower requests).
    memory_report_path: Path | None = None
    memory_report_seconds: float = Field(default=60.0, gt=0)
    memory_report_frames: int = Field(default=0, ge=0, le=100)
    # `rastro retention` anonymizes tracking personal data (client IP, user agent) older than this.
    retention_months: int = Field(default=6, ge=1)
    # `rastro retention` also detaches monthly partitions older than this; unset keeps every month attached.
    partition_retention_months: int | None = Field(default=None, ge=1)
    # Queries the compiler covers are answered by one SQL statement; false: every query runs in Python.
    compiled_reads: bool = True
    # A key's role is remembered this long, so a revoked key may still work for up to this many seconds.
    key_cache_seconds: float = Field(default=5.0, ge=0)
    # Seals delivery and checkout credentials at rest (Fernet); unset means none can be stored.
    secret_key: SecretStr | None = None
    # /metrics needs this bearer token, or is open when metrics_open (a port only the scraper reaches).
    metrics_token: SecretStr | None = None
    metrics_open: bool = False
    # On SIGTERM: /readyz fails this long while requests are still served, then in-flight ones get
    # shutdown_timeout seconds to finish.
    drain_seconds: float = Field(default=5.0, ge=0)
    shutdown_timeout: int = Field(default=20, ge=1)
    # Tracking requests (/collect, ingest keys) per key and per client IP, in each worker ("N/second|minute").
    ingest_rate_per_key: str = "6000/minute"
    ingest_rate_per_ip: str = "120/minute"
    # How long a worker remembers domains and landing pages for tracking (changes elsewhere take this long).
    ingest_cache_seconds: float = Field(default=5.0, ge=0)
    collect_max_body_bytes: int = Field(default=65_536, ge=1024)
    # Tracking from user agents holding any of these (case-insensitive) is answered but not recorded.
    bot_user_agents: list[str] = Field(
        default_factory=lambda: [
            "bot", "crawler", "spider", "slurp", "facebookexternalhit", "mediapartners-google",
            "adsbot-google", "google-inspectiontool", "bingpreview", "lighthouse", "pingdom", "uptimerobot",
            "ahrefs", "semrush", "petalbot", "yandex", "baiduspider", "duckduckbot",
        ]
    )  # fmt: skip

    # The delivery worker (`rastro worker`).
    delivery_concurrency: int = Field(default=4, ge=1, le=64)  # requests in flight per destination
    delivery_batch_size: int = Field(default=500, ge=1, le=5000)  # rows a lane claims at once
    delivery_timeout_seconds: float = Field(default=15.0, gt=0)
    delivery_lease_seconds: float = Field(default=120.0, ge=1)
    delivery_backoff_seconds: float = Field(default=30.0, ge=0)
    delivery_backoff_cap_seconds: float = Field(default=3600.0, ge=0)
    delivery_max_attempts: int = Field(default=10, ge=1)
    delivery_poll_seconds: float = Field(default=1.0, gt=0)
    delivery_shutdown_grace_seconds: float = Field(default=20.0, ge=0)
    # Where the platforms are; tests point these at local fakes.
    google_data_manager_url: str = "https://datamanager.googleapis.com"
    google_ads_url: str = "https://googleads.googleapis.com"
    google_oauth_url: str = "https://oauth2.googleapis.com/token"
    meta_url: str = "https://graph.facebook.com"
    linkedin_url: str = "https://api.linkedin.com"
    tiktok_url: str = "https://business-api.tiktok.com"


@lru_cache
def get_settings() -> Settings:
    return Settings()
