"""Offline conversions sent back to ad platforms, and the log of each sync attempt."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

import models
from loaders.relation import ColumnRead, reads
from models.enums import Platform, SyncStatus
from resolvers import orderings
from schema.node import Node, node_type
from schema.personal import personal
from schema.relations import lazy, to_many, to_one

LEADS = "schema.types.leads"
TRACKING = "schema.types.tracking"
HERE = "schema.types.conversions"


strawberry.enum(Platform, name="AdPlatform", description="An ad platform that receives offline conversions.")


strawberry.enum(
    SyncStatus, name="SyncState", description="Where the delivery of a conversion to one platform stands."
)
SyncState = SyncStatus


@strawberry.type(description="The delivery state of a conversion on one ad platform.")
class PlatformSyncStatus:
    platform: Platform = strawberry.field(description="The ad platform.")
    status: SyncState = strawberry.field(description="Its delivery state.")


def sync_statuses(raw: Any) -> list[PlatformSyncStatus]:
    """One entry per known platform present in the JSONB object, in AdPlatform order; others skipped."""
    if not isinstance(raw, dict):
        return []
    states = {state.value: state for state in SyncState}
    return [
        PlatformSyncStatus(platform=platform, status=states[raw[platform.value]])
        for platform in Platform
        if raw.get(platform.value) in states
    ]


@node_type(
    models.OfflineConversion,
    models.OfflineConversion.conversion_id,
    "A sale closed offline (CRM), reported back to the ad platforms that brought the lead.",
)
class OfflineConversion(Node):
    conversion_id: uuid.UUID = strawberry.field(description="The conversion's id.")
    lead_id: uuid.UUID = strawberry.field(description="The lead who bought.")
    original_tracking_id: uuid.UUID | None = strawberry.field(description="The UTM capture credited.")
    gclid: str | None = strawberry.field(description="Google Ads click id.")
    fbclid: str | None = strawberry.field(description="Meta click id.")
    ttclid: str | None = strawberry.field(description="TikTok click id.")
    li_fat_id: str | None = strawberry.field(description="LinkedIn click id.")
    gbraid: str | None = strawberry.field(description="Google Ads app-to-web click id (iOS).")
    wbraid: str | None = strawberry.field(description="Google Ads web-to-app click id (iOS).")
    conversion_value: Decimal = strawberry.field(description="Value of the sale.")
    conversion_currency: str = strawberry.field(description="ISO 4217 currency code.")
    conversion_date: dt.datetime = strawberry.field(description="When the sale closed.")
    conversion_name: str = strawberry.field(description="Conversion action, e.g. purchase.")
    created_at: dt.datetime = strawberry.field(description="When it was recorded.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")

    @strawberry.field(description="Delivery state per ad platform.")
    def sync_status(self, root: strawberry.Parent[models.OfflineConversion]) -> list[PlatformSyncStatus]:
        return sync_statuses(root.sync_status)

    @strawberry.field(
        description="The sync status object as stored.",
        metadata=reads(ColumnRead(models.OfflineConversion.sync_status)),
    )
    def sync_status_json(self, root: strawberry.Parent[models.OfflineConversion]) -> JSON:
        return cast(JSON, root.sync_status)

    lead = to_one(models.Lead.lead_id, "lead_id", lazy("Lead", LEADS), "The lead who bought.")
    original_tracking = to_one(
        models.UtmTracking.tracking_id,
        "original_tracking_id",
        lazy("UtmTracking", TRACKING),
        "The UTM capture credited with the sale.",
    )
    platform_sync_logs = to_many(
        models.PlatformSyncLog.conversion_id,
        "conversion_id",
        lazy("PlatformSyncLog", HERE),
        orderings.PLATFORM_SYNC_LOGS,
        "Every delivery attempt to the ad platforms, oldest first.",
    )


@node_type(
    models.PlatformSyncLog,
    models.PlatformSyncLog.sync_id,
    "One attempt to deliver a conversion to a platform.",
)
class PlatformSyncLog(Node):
    sync_id: uuid.UUID = strawberry.field(description="The attempt's id.")
    conversion_id: uuid.UUID = strawberry.field(description="The conversion delivered.")
    request_payload: JSON | None = personal("What was sent.")
    response_data: JSON | None = personal("What the platform answered.")
    http_status_code: int | None = strawberry.field(description="HTTP status of the answer.")
    created_at: dt.datetime = strawberry.field(description="When the attempt was made.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")

    @strawberry.field(
        description="The ad platform.", metadata=reads(ColumnRead(models.PlatformSyncLog.platform))
    )
    def platform(self, root: strawberry.Parent[models.PlatformSyncLog]) -> Platform:
        return Platform(root.platform)

    @strawberry.field(
        description="Outcome of the attempt: PENDING, SUCCESS or FAILED.",
        metadata=reads(ColumnRead(models.PlatformSyncLog.sync_status)),
    )
    def sync_status(self, root: strawberry.Parent[models.PlatformSyncLog]) -> SyncState:
        return SyncState(root.sync_status)

    conversion = to_one(
        models.OfflineConversion.conversion_id,
        "conversion_id",
        lazy("OfflineConversion", HERE),
        "The conversion.",
    )
