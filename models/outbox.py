"""The conversion outbox: one row per conversion and ad platform, written with the conversion, sent later."""

import datetime as dt
import uuid

from sqlalchemy import BigInteger, CheckConstraint, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, child_of, jsonb, str20
from models.enums import DeliveryStatus, OutboxKind, Platform, sql_in


class ConversionOutbox(Timestamps, Base):
    __tablename__ = "conversion_outbox"
    __table_args__ = (
        CheckConstraint(sql_in("platform", Platform), name="platform"),
        CheckConstraint(sql_in("kind", OutboxKind), name="kind"),
        child_of("offline_conversions", "conversion_id"),
        CheckConstraint("jsonb_typeof(payload) = 'object'", name="payload"),
        CheckConstraint(sql_in("status", DeliveryStatus), name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("idx_conversion_outbox_conversion_id", "conversion_id"),
        Index(
            "idx_conversion_outbox_due",
            "platform",
            "next_attempt_at",
            postgresql_where=text("status IN ('pending', 'failed')"),
        ),
        Index(
            "idx_conversion_outbox_leased",
            "platform",
            "lease_expires_at",
            postgresql_where=text("status = 'delivering'"),
        ),
        Index("idx_conversion_outbox_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    conversion_id: Mapped[uuid.UUID]
    domain_id: Mapped[uuid.UUID]
    platform: Mapped[str20]
    kind: Mapped[str20] = mapped_column(server_default=OutboxKind.CONVERSION.value)
    # integrations.outbox.dedup_key: the order/event id the platform dedupes on.
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[jsonb]
    status: Mapped[str20] = mapped_column(server_default="pending")
    attempts: Mapped[int] = mapped_column(server_default=text("0"))
    next_attempt_at: Mapped[dt.datetime] = mapped_column(server_default=text("now()"))
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None]
    # Set by the worker that claimed the row: its writes must carry the token (a later claim fences it out).
    claim_token: Mapped[uuid.UUID | None]
    lease_expires_at: Mapped[dt.datetime | None]
