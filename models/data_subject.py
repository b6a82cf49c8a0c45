"""LGPD erasures: what was erased, when, by which key and why; never whose data it was."""

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, jsonb, uuid_pk


class DataSubjectErasure(Base):
    __tablename__ = "data_subject_erasures"
    __table_args__ = (
        CheckConstraint("identifier_kind IN ('email', 'phone', 'document')", name="identifier_kind"),
        CheckConstraint("length(reason) BETWEEN 1 AND 500", name="reason"),
        CheckConstraint("jsonb_typeof(row_counts) = 'object'", name="row_counts"),
        CheckConstraint("total_rows >= 0", name="total_rows"),
        Index("idx_data_subject_erasures_erased_at", "erased_at"),
    )

    id: Mapped[uuid_pk]
    erased_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    actor_key_id: Mapped[uuid.UUID | None]  # no foreign key: the record outlives a deleted key
    identifier_kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    row_counts: Mapped[jsonb]  # {table: rows erased}
    total_rows: Mapped[int]
