"""Per-domain delivery accounts: ad-platform credentials and CRM webhooks, secrets sealed at rest."""

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, jsonb, str20, str100
from models.enums import Destination, sql_in


class DeliveryAccount(Timestamps, Base):
    __tablename__ = "delivery_accounts"
    __table_args__ = (
        UniqueConstraint("domain_id", "destination"),
        CheckConstraint(sql_in("destination", Destination), name="destination"),
        CheckConstraint("jsonb_typeof(settings) = 'object'", name="settings"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    domain_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("domains.domain_id", ondelete="CASCADE"))
    destination: Mapped[str20]
    name: Mapped[str100]
    # Non-secret configuration: customer id, pixel id, conversion action, webhook URL...
    settings: Mapped[jsonb] = mapped_column(server_default=text("'{}'::jsonb"))
    # A Fernet token (integrations.secret_box) of a JSON object: access tokens, signing secrets.
    secrets: Mapped[bytes | None] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(server_default=text("true"))
