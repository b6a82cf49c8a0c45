"""Trusted documents: per key, the only operations it may run once its list is loaded."""

import datetime as dt
import uuid

from sqlalchemy import CHAR, ForeignKey, String, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, str500


class TrustedDocumentList(Base):
    __tablename__ = "trusted_document_lists"

    key_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str500]
    loaded_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class TrustedDocument(Base):
    __tablename__ = "trusted_documents"

    key_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("trusted_document_lists.key_id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(CHAR(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    document: Mapped[str] = mapped_column(Text)
