"""Leads captured from sessions, their CRM pipeline stages and integration attempts."""

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import (
    Base,
    Timestamps,
    child_of,
    jsonb,
    money2,
    str20,
    str50,
    str100,
    str255,
    str320,
    uuid_pk,
)
from models.enums import AttemptStatus, sql_in


class Lead(Timestamps, Base):
    __tablename__ = "leads"
    __table_args__ = (
        CheckConstraint("hashed_email ~ '^[0-9a-f]{64}$'", name="hashed_email"),
        CheckConstraint("hashed_phone ~ '^[0-9a-f]{64}$'", name="hashed_phone"),
        CheckConstraint("time_to_conversion >= 0", name="time_to_conversion"),
        CheckConstraint("jsonb_typeof(metadata) = 'object'", name="metadata"),
        child_of("sessions", "session_id"),
        UniqueConstraint("domain_id", "lead_id"),
        Index("idx_leads_session_id", "session_id"),
        Index("idx_leads_utm_tracking_id", "utm_tracking_id"),
        Index("idx_leads_page_id", "page_id"),
        Index("idx_leads_external_id", "external_id"),
        Index("idx_leads_lead_score", "lead_score"),
        Index("idx_leads_hashed_email", "hashed_email"),
        Index("idx_leads_hashed_phone", "hashed_phone"),
        Index("idx_leads_created_at", "created_at"),
        Index(
            "uq_leads_session_idempotency_key",
            "session_id",
            "idempotency_key",
            unique=True,
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
    )

    lead_id: Mapped[uuid_pk]
    session_id: Mapped[str255]
    domain_id: Mapped[uuid.UUID]
    utm_tracking_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("utm_tracking.tracking_id", ondelete="SET NULL")
    )
    page_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("landing_pages.page_id", ondelete="SET NULL")
    )
    external_id: Mapped[str255 | None]
    name: Mapped[str255 | None]
    email: Mapped[str320 | None]
    hashed_email: Mapped[str | None] = mapped_column(String(64))
    company: Mapped[str255 | None]
    phone: Mapped[str50 | None]
    hashed_phone: Mapped[str | None] = mapped_column(String(64))
    is_business_email: Mapped[bool] = mapped_column(server_default=text("false"))
    email_domain: Mapped[str255 | None]
    lead_score: Mapped[str | None] = mapped_column(String(10))
    time_to_conversion: Mapped[int | None]  # seconds since first visit
    # "metadata" is reserved on declarative classes.
    metadata_: Mapped[jsonb] = mapped_column("metadata", server_default=text("'{}'::jsonb"))
    # The sender's key for one form submit: a retry with it returns the same lead.
    idempotency_key: Mapped[str255 | None]


class LeadStage(Timestamps, Base):
    __tablename__ = "lead_stages"
    __table_args__ = (
        CheckConstraint(
            "stage_name IN ('new', 'qualified', 'proposal', 'negotiation', 'won', 'lost')", name="stage_name"
        ),
        CheckConstraint("stage_value >= 0", name="stage_value"),
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
        child_of("leads", "lead_id"),
        Index("idx_lead_stages_lead_created", "lead_id", "created_at"),
        Index("idx_lead_stages_stage_name", "stage_name"),
        Index("idx_lead_stages_lead_order", "lead_id", "created_at", "recorded_seq", unique=True),
    )

    stage_id: Mapped[uuid_pk]
    lead_id: Mapped[uuid.UUID]
    domain_id: Mapped[uuid.UUID]
    stage_name: Mapped[str20]
    stage_value: Mapped[money2 | None]
    probability: Mapped[int | None] = mapped_column(SmallInteger)  # percent
    changed_by: Mapped[str255] = mapped_column(server_default="system")
    reason: Mapped[str | None] = mapped_column(Text)
    # Order of recording: of two stages of the same instant, the one recorded later is in effect.
    recorded_seq: Mapped[int] = mapped_column(
        BigInteger, server_default=text("nextval('lead_stages_recorded_seq_seq')")
    )


class IntegrationLog(Timestamps, Base):
    __tablename__ = "integrations_log"
    __table_args__ = (
        CheckConstraint(
            "integration_type IN ('crm', 'webhook', 'email', 'analytics')", name="integration_type"
        ),
        CheckConstraint(sql_in("status", AttemptStatus), name="status"),
        CheckConstraint("retry_count >= 0", name="retry_count"),
        child_of("leads", "lead_id"),
        Index("idx_integrations_log_lead_id", "lead_id", "created_at"),
        Index(
            "idx_integrations_log_open", "status", "created_at", postgresql_where=text("status <> 'success'")
        ),
        Index(
            "idx_integrations_log_due",
            "next_attempt_at",
            postgresql_where=text("integration_type = 'webhook' AND status <> 'success'"),
        ),
        Index("idx_integrations_log_created", "created_at", "log_id"),
    )

    log_id: Mapped[uuid_pk]
    lead_id: Mapped[uuid.UUID]
    domain_id: Mapped[uuid.UUID]
    integration_type: Mapped[str20]
    integration_name: Mapped[str100]
    status: Mapped[str20] = mapped_column(server_default="pending")
    request_data: Mapped[jsonb | None]
    response_data: Mapped[jsonb | None]
    error_message: Mapped[str | None] = mapped_column(Text)
    retry_count: Mapped[int] = mapped_column(server_default=text("0"))
    processed_at: Mapped[dt.datetime | None]
    # Delivery scheduling (webhooks): a pending row without one is due now; 'infinity' parks it.
    next_attempt_at: Mapped[dt.datetime | None]
    claim_token: Mapped[uuid.UUID | None]
    lease_expires_at: Mapped[dt.datetime | None]
