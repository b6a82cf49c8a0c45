"""Per-transaction history from the checkout platforms: payment attempts, UTMs, invoices, offer snapshots."""

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, jsonb, money4, str20, str50, str100, str255, str500


class PaymentMethod(enum.StrEnum):
    CREDIT_CARD = "credit_card"
    DEBIT_CARD = "debit_card"
    PIX = "pix"
    BOLETO = "boleto"
    PAYPAL = "paypal"
    GOOGLE_PAY = "google_pay"
    APPLE_PAY = "apple_pay"
    BANK_TRANSFER = "bank_transfer"
    ACCOUNT_BALANCE = "account_balance"
    OTHER = "other"


class PaymentType(enum.StrEnum):
    SINGLE = "single"
    INSTALLMENTS = "installments"
    SUBSCRIPTION = "subscription"
    RECURRING = "recurring"


# The PG types are created by the schema migration, not by the models.
payment_method_enum = Enum(
    PaymentMethod,
    name="payment_method_enum",
    values_callable=lambda e: [m.value for m in e],
    create_type=False,
)
payment_type_enum = Enum(
    PaymentType, name="payment_type_enum", values_callable=lambda e: [m.value for m in e], create_type=False
)


class HistoryTimestamps:
    """created_at / updated_at as doc 002 declares them (DEFAULT CURRENT_TIMESTAMP)."""

    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())


class PaymentAttempt(HistoryTimestamps, Base):
    __tablename__ = "platform_transaction_payment_history"
    __table_args__ = (
        CheckConstraint("installments >= 1", name="installments"),
        CheckConstraint("value >= 0", name="value"),
        CheckConstraint("card_last_digits ~ '^[0-9]{4}$'", name="card_last_digits"),
        Index("idx_ptph_transaction_id", "transaction_id"),
        Index("idx_ptph_payment_date", "payment_date"),
        Index("idx_ptph_payment_method", "payment_method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"))
    payment_method: Mapped[PaymentMethod | None] = mapped_column(payment_method_enum)
    payment_type: Mapped[PaymentType | None] = mapped_column(payment_type_enum)
    installments: Mapped[int | None]
    value: Mapped[money4 | None]  # amount paid or attempted
    payment_date: Mapped[dt.datetime | None]  # attempt time
    card_brand: Mapped[str50 | None]
    card_last_digits: Mapped[str | None] = mapped_column(String(4))
    bank_slip_barcode: Mapped[str | None] = mapped_column(Text)
    pix_code: Mapped[str | None] = mapped_column(Text)
    pix_expires_at: Mapped[dt.datetime | None]
    bank_slip_url: Mapped[str | None] = mapped_column(Text)
    bank_slip_expires_at: Mapped[dt.datetime | None]
    # "metadata" is reserved on declarative classes.
    metadata_: Mapped[jsonb | None] = mapped_column("metadata")


class TransactionUtm(HistoryTimestamps, Base):
    __tablename__ = "platform_utm_history"
    __table_args__ = (
        Index("idx_puh_transaction_id", "transaction_id"),
        Index("idx_puh_utm_source_medium", "utm_source", "utm_medium"),
        Index("idx_puh_utm_campaign", "utm_campaign"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"))
    utm_source: Mapped[str255 | None]
    utm_medium: Mapped[str255 | None]
    utm_campaign: Mapped[str255 | None]
    utm_term: Mapped[str255 | None]
    utm_content: Mapped[str255 | None]
    src: Mapped[str255 | None]  # checkout URL parameters (Hotmart src/sck/xcod, Kiwify src/sck)
    sck: Mapped[str255 | None]
    xcod: Mapped[str255 | None]
    capture_date: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())


class Invoice(HistoryTimestamps, Base):
    __tablename__ = "platform_software_invoice_history"
    __table_args__ = (
        CheckConstraint("invoice_key ~ '^[0-9A-Z]{44}$'", name="invoice_key"),
        Index("idx_psih_transaction_id", "transaction_id"),
        Index("idx_psih_invoice_number", "invoice_number"),
        Index("idx_psih_issue_date", "issue_date"),
        # Redundant with the UNIQUE constraint, but the reference (doc 002) declares it.
        Index("idx_psih_invoice_key", "invoice_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"))
    invoice_number: Mapped[str100 | None]
    invoice_series: Mapped[str20 | None]
    invoice_key: Mapped[str255 | None] = mapped_column(unique=True)  # NF-e access key
    issue_date: Mapped[dt.datetime | None]
    status: Mapped[str50 | None]
    xml_url: Mapped[str | None] = mapped_column(Text)
    pdf_url: Mapped[str | None] = mapped_column(Text)


class OfferSnapshot(HistoryTimestamps, Base):
    __tablename__ = "platform_sale_offer_history"
    __table_args__ = (
        Index("idx_psoh_transaction_id", "transaction_id"),
        Index("idx_psoh_offer_id", "offer_id"),
        Index("idx_psoh_code", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"))
    code: Mapped[str100 | None]
    offer_id: Mapped[str100 | None]  # no FK: the offer as it was at sale time
    offer_name: Mapped[str255 | None]
    description: Mapped[str500 | None]
    price: Mapped[money4 | None]
    coupon_code: Mapped[str100 | None]
