"""Enumerations every layer shares: models build their CHECK constraints from these, the API its enums."""

import enum


class Platform(enum.StrEnum):
    """An ad platform that receives offline conversions."""

    GOOGLE_ADS = "google_ads"
    META = "meta"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"


class Destination(enum.StrEnum):
    """Where Rastro delivers data to: the ad platforms, and a domain's CRM webhook."""

    GOOGLE_ADS = "google_ads"
    META = "meta"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"
    CRM_WEBHOOK = "crm_webhook"


class OutboxKind(enum.StrEnum):
    """What an outbox row asks a platform to do with a conversion."""

    CONVERSION = "conversion"
    RETRACTION = "retraction"  # the sale was refunded or charged back


def sql_in(column: str, values: type[enum.StrEnum]) -> str:
    """A CHECK condition admitting exactly the enumeration's values."""
    return f"{column} IN ({', '.join(repr(member.value) for member in values)})"
