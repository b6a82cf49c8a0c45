"""Checkout-platform sales: statuses, customers, products, offers, transactions, commissions and costs."""

import datetime as dt
import uuid

from sqlalchemy import (
    CHAR,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, money4, str20, str50, str100, str255, str320, str500


class TransactionStatus(Timestamps, Base):
    __tablename__ = "transaction_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str50] = mapped_column(unique=True)
    status: Mapped[str50] = mapped_column(unique=True)
    description: Mapped[str | None] = mapped_column(Text)


class Customer(Timestamps, Base):
    __tablename__ = "customers"
    __table_args__ = (
        Index("idx_customers_hashed_email", "hashed_email"),
        # How a data-subject request by phone finds customers, whatever punctuation the platform sent.
        Index("idx_customers_phone_digits", text(r"regexp_replace(phone, '\D', '', 'g')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str255 | None]
    email: Mapped[str320] = mapped_column(unique=True)
    phone: Mapped[str50 | None]
    document: Mapped[str20 | None]  # CPF/CNPJ
    document_type: Mapped[str | None] = mapped_column(String(4))
    document_valid: Mapped[bool | None]  # check digits; a bad one is stored all the same
    # sha256 of lower(trim(email)), as leads.hashed_email: how a lead finds its purchases.
    hashed_email: Mapped[str | None] = mapped_column(
        String(64), Computed("rastro_email_hash(email)", persisted=True)
    )


class Product(Timestamps, Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str255]
    description: Mapped[str | None] = mapped_column(Text)
    platform: Mapped[str50 | None]
    external_id: Mapped[str100 | None]


class Offer(Timestamps, Base):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        Index("idx_offers_product_id", "product_id"),
        Index("idx_offers_code", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    offer_id: Mapped[str100] = mapped_column(unique=True)
    code: Mapped[str100 | None]
    name: Mapped[str255]
    description: Mapped[str500 | None]
    price: Mapped[money4]
    currency: Mapped[str] = mapped_column(CHAR(3), server_default="BRL")
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))


class Transaction(Timestamps, Base):
    __tablename__ = "transactions"
    __table_args__ = (
        UniqueConstraint("transaction_id", "platform"),
        CheckConstraint("offer_price >= 0", name="offer_price"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        Index("idx_transactions_customer_id", "customer_id", "order_date"),
        Index("idx_transactions_status_id", "status_id"),
        Index("idx_transactions_order_date", "order_date"),
        Index("idx_transactions_offer_price", "offer_price", "id"),
        Index("idx_transactions_tracking_source", "tracking_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[str100]  # the platform's own id
    platform: Mapped[str50]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    status_id: Mapped[int] = mapped_column(ForeignKey("transaction_statuses.id", ondelete="RESTRICT"))
    offer_price: Mapped[money4]
    currency: Mapped[str] = mapped_column(CHAR(3), server_default="BRL")
    order_date: Mapped[dt.datetime]
    tracking_source: Mapped[str255 | None]
    domain_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("domains.domain_id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None]
    status_at: Mapped[dt.datetime | None]  # when the shown status happened: later events may be older
    status_detail: Mapped[str50 | None]  # the platform's own status behind status_id
    parent_transaction_id: Mapped[str100 | None]  # an order bump: the platform id of its main purchase
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id", ondelete="SET NULL"))
    charge_number: Mapped[int | None]
    offline_conversion_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("offline_conversions.conversion_id", ondelete="SET NULL")
    )


class TransactionItem(Timestamps, Base):
    __tablename__ = "transaction_items"
    __table_args__ = (
        UniqueConstraint("transaction_id", "product_id"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        Index("idx_transaction_items_product_id", "product_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(server_default=text("1"))
    unit_price: Mapped[money4]


class Commission(Timestamps, Base):
    __tablename__ = "platform_commission"
    __table_args__ = (
        CheckConstraint("source IN ('PRODUCER', 'COPRODUCER', 'AFFILIATE', 'MARKETPLACE')", name="source"),
        CheckConstraint("amount >= 0", name="amount"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        Index("idx_platform_commission_transaction", "transaction_id", "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"))
    source: Mapped[str20]
    amount: Mapped[money4]
    currency: Mapped[str] = mapped_column(CHAR(3), server_default="BRL")
    recipient_name: Mapped[str255 | None]


class MarketingCost(Timestamps, Base):
    __tablename__ = "marketing_costs"
    __table_args__ = (
        UniqueConstraint("source", "medium", "campaign", "cost_date"),
        CheckConstraint("cost >= 0", name="cost"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        Index("idx_marketing_costs_cost_date", "cost_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cost_date: Mapped[dt.date]  # day, or first day of the period, the cost refers to
    source: Mapped[str255]  # matches utm_source
    medium: Mapped[str255]
    campaign: Mapped[str255]
    cost: Mapped[money4]
    currency: Mapped[str] = mapped_column(CHAR(3), server_default="BRL")
