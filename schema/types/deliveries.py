"""The delivery of one conversion (or its retraction) to one ad platform: the outbox row as users see it."""

import datetime as dt
import uuid

import strawberry

import models
from loaders.relation import ColumnRead, reads
from models.enums import DeliveryStatus, OutboxKind, Platform
from resolvers import orderings
from schema.node import Node, node_type
from schema.relations import lazy, to_many, to_one

CONVERSIONS = "schema.types.conversions"

strawberry.enum(DeliveryStatus, name="DeliveryStatus", description="Where a delivery stands.")
strawberry.enum(OutboxKind, name="DeliveryKind", description="What a delivery asks the platform to do.")

# PostgreSQL's 'infinity' (a delivery that will not be tried again) reaches Python as datetime.max.
NEVER = dt.datetime.max


def next_attempt(row: models.ConversionOutbox) -> dt.datetime | None:
    if (
        row.status in (DeliveryStatus.DELIVERED, DeliveryStatus.EXPIRED, DeliveryStatus.CANCELED)
        or row.next_attempt_at.replace(tzinfo=None) == NEVER
    ):
        return None
    return row.next_attempt_at


@node_type(
    models.ConversionOutbox,
    models.ConversionOutbox.id,
    "A conversion (or the retraction of a refunded sale) on its way to one ad platform.",
)
class ConversionDelivery(Node):
    conversion_id: uuid.UUID = strawberry.field(description="The conversion delivered.")
    last_error: str | None = strawberry.field(
        description="The platform's message (or Rastro's reason) for the last failed, expired or "
        "not-configured outcome; null after a success."
    )
    delivered_at: dt.datetime | None = strawberry.field(description="When the platform accepted it.")
    created_at: dt.datetime = strawberry.field(description="When it was queued.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")

    @strawberry.field(
        description="The ad platform.", metadata=reads(ColumnRead(models.ConversionOutbox.platform))
    )
    def platform(self, root: strawberry.Parent[models.ConversionOutbox]) -> Platform:
        return Platform(root.platform)

    @strawberry.field(
        description="CONVERSION, or RETRACTION of a refunded or charged-back sale.",
        metadata=reads(ColumnRead(models.ConversionOutbox.kind)),
    )
    def kind(self, root: strawberry.Parent[models.ConversionOutbox]) -> OutboxKind:
        return OutboxKind(root.kind)

    @strawberry.field(
        description="Where it stands: PENDING (due at nextAttemptAt), DELIVERING (held by a worker), "
        "DELIVERED, FAILED (retried at nextAttemptAt, or final when that is null), EXPIRED (outside the "
        "platform's window, never sent), NOT_CONFIGURED (sent once the domain's account is set) or "
        "CANCELED (its lead was erased: never sent).",
        metadata=reads(ColumnRead(models.ConversionOutbox.status)),
    )
    def status(self, root: strawberry.Parent[models.ConversionOutbox]) -> DeliveryStatus:
        return DeliveryStatus(root.status)

    @strawberry.field(
        description="Requests that carried it since it was queued or last retried by hand.",
        metadata=reads(ColumnRead(models.ConversionOutbox.attempts)),
    )
    def attempt_count(self, root: strawberry.Parent[models.ConversionOutbox]) -> int:
        return root.attempts

    @strawberry.field(description="When a worker will try it next; null when it will not be tried again.")
    def next_attempt_at(self, root: strawberry.Parent[models.ConversionOutbox]) -> dt.datetime | None:
        return next_attempt(root)

    @strawberry.field(description="True when it will not be tried again unless retried by hand.")
    def final(self, root: strawberry.Parent[models.ConversionOutbox]) -> bool:
        return root.status != DeliveryStatus.DELIVERED and next_attempt(root) is None

    conversion = to_one(
        models.OfflineConversion.conversion_id,
        "conversion_id",
        lazy("OfflineConversion", CONVERSIONS),
        "The conversion.",
    )
    attempts = to_many(
        models.PlatformSyncLog.outbox_id,
        "id",
        lazy("PlatformSyncLog", CONVERSIONS),
        orderings.PLATFORM_SYNC_LOGS,
        "Every request that carried it, oldest first, with what was sent and answered.",
    )
