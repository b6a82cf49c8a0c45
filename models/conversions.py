"""Offline conversions sent back to ad platforms, and the log of each sync attempt."""

import datetime as dt
import uuid

from sqlalchemy import (
    CHAR,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import (
    JSONB_ONLY_STRINGS,
    Base,
    Timestamps,
    child_of,
    jsonb,
    money2,
    str20,
    str100,
    str512,
    uuid_pk,
)
from models.enums import AttemptStatus, Platform, SyncStatus, sql_in

_KNOWN_PLATFORM = " || ".join(f'@.key == "{platform}"' for platform in Platform)
_KNOWN_STATUS = " || ".join(f'@.value == "{status}"' for status in SyncStatus)
# Each key is a known platform and each value a SyncStatus, e.g. {"google_ads": "pending"}.
SYNC_STATUS_CHECK = f"""jsonb_typeof(sync_status) = 'object'
    AND NOT jsonb_path_exists(sync_status, '$.keyvalue() ? (
          !({_KNOWN_PLATFORM})
       || @.value.type() != "string"
       || !({_KNOWN_STATUS}))')"""


class OfflineConversion(Timestamps, Base):
    __tablename__ = "offline_conversions"
    __table_args__ = (
        UniqueConstraint("lead_id", "conversion_name"),
        child_of("leads", "lead_id"),
        UniqueConstraint("domain_id", "conversion_id"),
        CheckConstraint("conversion_value >= 0", name="conversion_value"),
        CheckConstraint("conversion_currency ~ '^[A-Z]{3}$'", name="conversion_currency"),
        CheckConstraint(SYNC_STATUS_CHECK, name="sync_status"),
        Index("idx_offline_conversions_tracking_id", "original_tracking_id"),
        Index("idx_offline_conversions_date", "conversion_date"),
        Index("idx_offline_conversions_google_ads", text("(sync_status ->> 'google_ads')")),
        Index(
            "idx_offline_conversions_sync_status",
            "sync_status",
            postgresql_using="gin",
            postgresql_ops={"sync_status": "jsonb_path_ops"},
        ),
    )

    conversion_id: Mapped[uuid_pk]
    lead_id: Mapped[uuid.UUID]
    domain_id: Mapped[uuid.UUID]
    original_tracking_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("utm_tracking.tracking_id", ondelete="SET NULL")
    )
    gclid: Mapped[str512 | None]
    fbclid: Mapped[str512 | None]
    ttclid: Mapped[str512 | None]
    li_fat_id: Mapped[str512 | None]
    gbraid: Mapped[str512 | None]
    wbraid: Mapped[str512 | None]
    conversion_value: Mapped[money2]
    conversion_currency: Mapped[str] = mapped_column(CHAR(3), server_default="BRL")
    conversion_date: Mapped[dt.datetime]
    conversion_name: Mapped[str100]
    sync_status: Mapped[jsonb] = mapped_column(
        server_default=text("'{}'::jsonb"), info={JSONB_ONLY_STRINGS: True}
    )


class PlatformSyncLog(Timestamps, Base):
    __tablename__ = "platform_sync_log"
    __table_args__ = (
        CheckConstraint(sql_in("platform", Platform), name="platform"),
        CheckConstraint(sql_in("sync_status", AttemptStatus), name="sync_status"),
        child_of("offline_conversions", "conversion_id"),
        CheckConstraint("http_status_code BETWEEN 100 AND 599", name="http_status_code"),
        CheckConstraint("duration_ms >= 0", name="duration_ms"),
        Index("idx_platform_sync_log_conversion", "conversion_id", "platform", "created_at"),
        Index("idx_platform_sync_log_outbox", "outbox_id", "created_at"),
        Index("idx_platform_sync_log_created", "created_at", "sync_id"),
    )

    sync_id: Mapped[uuid_pk]
    conversion_id: Mapped[uuid.UUID]
    domain_id: Mapped[uuid.UUID]
    platform: Mapped[str20]
    sync_status: Mapped[str20]
    request_payload: Mapped[jsonb | None]
    response_data: Mapped[jsonb | None]
    http_status_code: Mapped[int | None] = mapped_column(SmallInteger)
    # The outbox row this attempt delivered (a conversion or its retraction), and how long it took.
    outbox_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("conversion_outbox.id", ondelete="SET NULL")
    )
    duration_ms: Mapped[int | None]
