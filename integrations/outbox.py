"""The conversion outbox contract: which platforms can use a conversion, and the rows that carry it there.

Written by the mutations (in the conversion's transaction), read by the delivery worker; see
docs/decisions/outbox.md.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from integrations.preimages import hashed_email, hashed_phone
from models import Lead, OfflineConversion
from models.enums import OutboxKind, Platform

# What each platform matches a conversion on; it can use the conversion when the lead has any of them.
MATCH_KEYS: dict[Platform, tuple[str, ...]] = {
    Platform.GOOGLE_ADS: ("gclid", "gbraid", "wbraid", "hashed_email", "hashed_phone"),
    Platform.META: ("fbclid", "hashed_email", "hashed_phone"),
    Platform.LINKEDIN: ("li_fat_id", "hashed_email"),
    Platform.TIKTOK: ("ttclid", "hashed_email", "hashed_phone"),
}

# Platforms that can take a sale back; the others only get the refund recorded.
RETRACTABLE = frozenset({Platform.GOOGLE_ADS})

RetractionReason = Literal["refund", "chargeback"]


@dataclass(frozen=True)
class ClickIds:
    """The click ids of a lead's original UTM capture, and when that capture was made."""

    gclid: str | None = None
    gbraid: str | None = None
    wbraid: str | None = None
    fbclid: str | None = None
    ttclid: str | None = None
    li_fat_id: str | None = None
    clicked_at: dt.datetime | None = None


def dedup_key(conversion_id: uuid.UUID, platform: Platform, kind: OutboxKind = OutboxKind.CONVERSION) -> str:
    """The order/event id the platform dedupes on; unique in conversion_outbox."""
    base = f"{conversion_id}:{platform.value}"
    return base if kind is OutboxKind.CONVERSION else f"{base}:{kind.value}"


def refused_ad_platforms(lead: Lead) -> bool:
    """The visitor said no to ad-platform matching on the lead form (captureLead's adConsent: false)."""
    consent = (lead.metadata_ or {}).get("consent")
    return isinstance(consent, dict) and consent.get("adPlatforms") is False


def identifiers(clicks: ClickIds, lead: Lead) -> dict[Platform, dict[str, str]]:
    """Per platform, the identifiers it can match on (empty when none), hashed from its own pre-images.

    None for any platform when the lead refused consent: its conversions are never sent to them.
    """
    if refused_ad_platforms(lead):
        return {platform: {} for platform in MATCH_KEYS}
    clicked = {
        "gclid": clicks.gclid,
        "gbraid": clicks.gbraid,
        "wbraid": clicks.wbraid,
        "fbclid": clicks.fbclid,
        "ttclid": clicks.ttclid,
        "li_fat_id": clicks.li_fat_id,
    }

    def known(platform: Platform) -> dict[str, str | None]:
        return {
            **clicked,
            "hashed_email": hashed_email(platform, lead.email, lead.hashed_email),
            "hashed_phone": hashed_phone(platform, lead.phone, lead.hashed_phone),
        }

    return {
        platform: {key: value for key in keys if (value := known(platform)[key])}
        for platform, keys in MATCH_KEYS.items()
    }


def sync_status(matches: dict[Platform, dict[str, str]]) -> dict[str, str]:
    return {platform.value: "pending" if ids else "not_applicable" for platform, ids in matches.items()}


def outbox_rows(
    conversion: OfflineConversion, clicks: ClickIds, matches: dict[Platform, dict[str, str]]
) -> list[dict[str, Any]]:
    """One row per platform that can use the conversion; the payload is all the delivery worker needs."""
    common = {
        "conversion_name": conversion.conversion_name,
        "value": str(conversion.conversion_value),
        "currency": conversion.conversion_currency,
        "conversion_time": conversion.conversion_date.isoformat(),
        "click_time": None if clicks.clicked_at is None else clicks.clicked_at.isoformat(),
    }
    return [
        {
            "conversion_id": conversion.conversion_id,
            "domain_id": conversion.domain_id,
            "platform": platform.value,
            "kind": OutboxKind.CONVERSION.value,
            "dedup_key": dedup_key(conversion.conversion_id, platform),
            "payload": {**common, "identifiers": ids},
        }
        for platform, ids in matches.items()
        if ids
    ]


def retraction_rows(
    conversion_rows: list[dict[str, Any]], reason: RetractionReason, adjusted_at: dt.datetime
) -> list[dict[str, Any]]:
    """Retractions of a refunded or charged-back sale, from its conversion rows, for platforms that take one.

    `conversion_rows` are the conversion's outbox rows (conversion_id, domain_id, platform, payload): a
    retraction names the same order and click so the platform finds the sale it takes back.
    """
    return [
        {
            "conversion_id": row["conversion_id"],
            "domain_id": row["domain_id"],
            "platform": row["platform"],
            "kind": OutboxKind.RETRACTION.value,
            "dedup_key": dedup_key(row["conversion_id"], Platform(row["platform"]), OutboxKind.RETRACTION),
            "payload": {**row["payload"], "reason": reason, "adjusted_at": adjusted_at.isoformat()},
        }
        for row in conversion_rows
        if Platform(row["platform"]) in RETRACTABLE
    ]
