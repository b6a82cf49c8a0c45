"""A claimed outbox row, as the adapters read it."""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.enums import OutboxKind, Platform


@dataclass(frozen=True)
class OutboxRow:
    id: int
    conversion_id: uuid.UUID
    platform: Platform
    kind: OutboxKind
    dedup_key: str
    payload: dict[str, Any]
    attempts: int  # this claim included
    domain_id: uuid.UUID

    @property
    def conversion_time(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.payload["conversion_time"])

    @property
    def click_time(self) -> dt.datetime | None:
        raw = self.payload.get("click_time")
        return None if raw is None else dt.datetime.fromisoformat(raw)

    @property
    def value(self) -> Decimal:
        return Decimal(self.payload["value"])

    @property
    def identifiers(self) -> dict[str, str]:
        ids: dict[str, str] = self.payload.get("identifiers") or {}
        return ids

    @property
    def conversion_dedup_key(self) -> str:
        """The dedup key the conversion itself was sent with (a retraction names the same order)."""
        suffix = f":{OutboxKind.RETRACTION.value}"
        return self.dedup_key.removesuffix(suffix)

    @property
    def adjusted_at(self) -> dt.datetime | None:
        raw = self.payload.get("adjusted_at")
        return None if raw is None else dt.datetime.fromisoformat(raw)
