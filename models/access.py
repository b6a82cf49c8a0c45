"""API keys: a name, a role and the SHA-256 of the key (never the key itself)."""

import datetime as dt
import uuid

from sqlalchemy import CHAR, CheckConstraint, String, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, str20, str100, uuid_pk


class ApiKey(Base):
    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint("role IN ('ingest', 'viewer', 'connector', 'analyst', 'admin')", name="role"),
        CheckConstraint("domain_id IS NULL OR role = 'ingest'", name="domain"),
    )

    id: Mapped[uuid_pk]
    name: Mapped[str100] = mapped_column(unique=True)
    role: Mapped[str20]
    key_prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(CHAR(64), unique=True)  # sha256 hex
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    # An ingest key's domain: the only one whose tracking data it may write.
    domain_id: Mapped[uuid.UUID | None]  # no foreign key: seeding truncates domains, never keys
