"""What visitors do on a page: page views and interaction events."""

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, child_of, jsonb, str50, str100, str255, str500, uuid_pk


class PageView(Timestamps, Base):
    __tablename__ = "page_views"
    __table_args__ = (
        UniqueConstraint("session_id", "view_order"),
        child_of("sessions", "session_id"),
        CheckConstraint("view_order >= 1", name="view_order"),
        CheckConstraint("time_on_page >= 0", name="time_on_page"),
        Index("idx_page_views_page_id", "page_id"),
    )

    view_id: Mapped[uuid_pk]
    session_id: Mapped[str255]
    domain_id: Mapped[uuid.UUID]
    page_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("landing_pages.page_id", ondelete="SET NULL")
    )
    view_order: Mapped[int]
    time_on_page: Mapped[int | None]  # seconds
    exit_page: Mapped[bool] = mapped_column(server_default=text("false"))


class Event(Timestamps, Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("jsonb_typeof(event_data) = 'object'", name="event_data"),
        child_of("sessions", "session_id"),
        Index("idx_events_session_id", "session_id"),
        Index("idx_events_page_type", "page_id", "event_type"),
        Index("idx_events_type_created", "event_type", "created_at"),
    )

    event_id: Mapped[uuid_pk]
    session_id: Mapped[str255]
    domain_id: Mapped[uuid.UUID]
    page_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("landing_pages.page_id", ondelete="SET NULL")
    )
    event_type: Mapped[str50]
    event_category: Mapped[str100 | None]
    event_action: Mapped[str100 | None]
    event_label: Mapped[str255 | None]
    element_id: Mapped[str255 | None]
    element_class: Mapped[str500 | None]
    event_data: Mapped[jsonb] = mapped_column(server_default=text("'{}'::jsonb"))
