"""Which ad platforms can use a conversion, and the outbox rows that carry it to each of them."""

from typing import Any

from models import Lead, OfflineConversion
from resolvers.mutations.click_ids import ClickIds

# What each platform matches a conversion on; it can use the conversion when the lead has any of them.
MATCH_KEYS: dict[str, tuple[str, ...]] = {
    "google_ads": ("gclid", "gbraid", "wbraid", "hashed_email"),
    "meta": ("fbclid", "hashed_email", "hashed_phone"),
    "linkedin": ("li_fat_id", "hashed_email"),
    "tiktok": ("ttclid", "hashed_email", "hashed_phone"),
}


def identifiers(clicks: ClickIds, lead: Lead) -> dict[str, dict[str, str]]:
    """Per platform, the identifiers it can match on (empty when none)."""
    known = {
        "gclid": clicks.gclid,
        "gbraid": clicks.gbraid,
        "wbraid": clicks.wbraid,
        "fbclid": clicks.fbclid,
        "ttclid": clicks.ttclid,
        "li_fat_id": clicks.li_fat_id,
        "hashed_email": lead.hashed_email,
        "hashed_phone": lead.hashed_phone,
    }
    return {
        platform: {key: value for key in keys if (value := known[key])}
        for platform, keys in MATCH_KEYS.items()
    }


def sync_status(matches: dict[str, dict[str, str]]) -> dict[str, str]:
    return {platform: "pending" if ids else "not_applicable" for platform, ids in matches.items()}


def outbox_rows(
    conversion: OfflineConversion, clicks: ClickIds, matches: dict[str, dict[str, str]]
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
            "platform": platform,
            "dedup_key": f"{conversion.conversion_id}:{platform}",
            "payload": {**common, "identifiers": ids},
        }
        for platform, ids in matches.items()
        if ids
    ]
