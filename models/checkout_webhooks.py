"""Checkout webhooks: accounts per domain and platform, raw events, subscriptions, status history."""

import datetime as dt
import uuid

from sqlalchemy import (
    CHAR,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, jsonb, str20, str50, str100, str255
from models.enums import CheckoutEventStatus, CheckoutPlatform, sql_in


class CheckoutAccount(Timestamps, Base):
    __tablename__ = "checkout_accounts"
    __table_args__ = (
        UniqueConstraint("domain_id", "platform"),
        CheckConstraint(sql_in("platform", CheckoutPlatform), name="platform"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    domain_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("domains.domain_id", ondelete="CASCADE"))
    platform: Mapped[str20]
    name: Mapped[str100]
    # Hotmart sends the token itself: its SHA-256 (hex) is enough to recognise it.
    token_hash: Mapped[str | None] = mapped_column(CHAR(64))
    # Kiwify signs with the token (HMAC-SHA1): sealed with RASTRO_SECRET_KEY (integrations.secret_box).
    token_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(server_default=text("true"))


class CheckoutEvent(Base):
    __tablename__ = "checkout_events"
    __table_args__ = (
        UniqueConstraint("platform", "dedup_key"),
        CheckConstraint(sql_in("status", CheckoutEventStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    platform: Mapped[str20]
    dedup_key: Mapped[str255]  # Hotmart: the envelope id; Kiwify: order_id + webhook_event_type
    event_type: Mapped[str100]
    account_id: Mapped[int | None] = mapped_column(ForeignKey("checkout_accounts.id", ondelete="SET NULL"))
    domain_id: Mapped[uuid.UUID | None]
    payload: Mapped[jsonb]  # as received, card numbers scrubbed
    status: Mapped[str20]
    error: Mapped[str | None] = mapped_column(Text)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id", ondelete="SET NULL"))
    deliveries: Mapped[int] = mapped_column(server_default=text("1"))
    received_at: Mapped[dt.datetime] = mapped_column(server_default=text("now()"))
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=text("now()"))


class Subscription(Timestamps, Base):
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("platform", "subscription_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str50]
    subscription_id: Mapped[str100]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    plan_id: Mapped[str100 | None]
    plan_name: Mapped[str255 | None]
    status: Mapped[str50 | None]
    started_at: Mapped[dt.datetime | None]
    next_charge_at: Mapped[dt.datetime | None]


class TransactionStatusChange(Base):
    __tablename__ = "transaction_status_history"
    __table_args__ = (UniqueConstraint("transaction_id", "status_detail", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"))
    status_id: Mapped[int] = mapped_column(ForeignKey("transaction_statuses.id", ondelete="RESTRICT"))
    status_detail: Mapped[str50]
    occurred_at: Mapped[dt.datetime]
    event_id: Mapped[int | None] = mapped_column(ForeignKey("checkout_events.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=text("now()"))


class ConversionAdjustment(Base):
    """What a refund or chargeback of a converted purchase did for one platform."""

    __tablename__ = "conversion_adjustments"
    __table_args__ = (UniqueConstraint("conversion_id", "platform"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    conversion_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("offline_conversions.conversion_id", ondelete="CASCADE")
    )
    platform: Mapped[str20]
    reason: Mapped[str20]  # refund | chargeback
    action: Mapped[str20]  # retraction (queued in the outbox) | recorded (the platform keeps it)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id", ondelete="SET NULL"))
    adjusted_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=text("now()"))
