"""Typed views of JSONB shapes the seed documents define (DomainMetadata; LeadMetadata is with leads)."""

from typing import Any

import strawberry


def section(raw: Any, key: str) -> dict[str, Any]:
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, dict) else {}


def text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return None if value is None else str(value)


@strawberry.type(description="Analytics ids of a domain.")
class DomainAnalytics:
    google_analytics_id: str | None
    facebook_pixel_id: str | None


@strawberry.type(description="Locale settings of a domain.")
class DomainSettings:
    timezone: str | None
    language: str | None
    currency: str | None


@strawberry.type(
    description="DomainMetadata: analytics ids and settings (see metadataJson for anything else)."
)
class DomainMetadata:
    analytics: DomainAnalytics
    settings: DomainSettings


def domain_metadata(raw: Any) -> DomainMetadata:
    analytics, settings = section(raw, "analytics"), section(raw, "settings")
    return DomainMetadata(
        analytics=DomainAnalytics(
            google_analytics_id=text(analytics, "googleAnalyticsId"),
            facebook_pixel_id=text(analytics, "facebookPixelId"),
        ),
        settings=DomainSettings(
            timezone=text(settings, "timezone"),
            language=text(settings, "language"),
            currency=text(settings, "currency"),
        ),
    )
