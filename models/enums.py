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


class DeliveryStatus(enum.StrEnum):
    """Where one outbox row (a conversion or retraction for one platform) stands."""

    PENDING = "pending"  # due at next_attempt_at
    DELIVERING = "delivering"  # claimed by a worker until lease_expires_at
    DELIVERED = "delivered"
    FAILED = "failed"  # retried at next_attempt_at; 'infinity' when the failure is final
    EXPIRED = "expired"  # outside the platform's window: never sent
    NOT_CONFIGURED = "not_configured"  # no usable credentials: sent once they arrive
    CANCELED = "canceled"  # its lead was erased (LGPD): never sent


class SyncStatus(enum.StrEnum):
    """offline_conversions.sync_status per platform: the conversion's delivery as a marketer sees it."""

    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"  # the lead has nothing this platform matches on
    EXPIRED = "expired"
    NOT_CONFIGURED = "not_configured"
    CANCELED = "canceled"  # the lead was erased (LGPD): never sent


class AttemptStatus(enum.StrEnum):
    """One attempt to reach an outside system: integrations_log.status, platform_sync_log.sync_status."""

    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"


def sql_in(column: str, values: type[enum.StrEnum]) -> str:
    """A CHECK condition admitting exactly the enumeration's values."""
    return f"{column} IN ({', '.join(repr(member.value) for member in values)})"


class CheckoutPlatform(enum.StrEnum):
    """A checkout platform whose webhooks Rastro receives."""

    HOTMART = "hotmart"
    KIWIFY = "kiwify"


class SaleStatus(enum.StrEnum):
    """A transaction's status: the codes of the transaction_statuses lookup rows."""

    WAITING_PAYMENT = "waiting_payment"
    REFUSED = "refused"
    CANCELED = "canceled"
    EXPIRED = "expired"
    APPROVED = "approved"
    REFUNDED = "refunded"
    CHARGEBACK = "chargeback"


class CheckoutEventStatus(enum.StrEnum):
    """What became of a received checkout event (checkout_events.status)."""

    APPLIED = "applied"
    IGNORED = "ignored"  # an event type Rastro does not map; kept all the same
    FAILED = "failed"  # kept, not applied: the error says why
