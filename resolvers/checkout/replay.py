"""Replaying kept checkout events: a failed one (its sale could not be applied) is parsed and applied again.

Each event in its own transaction, locked, so a replay racing another replay or a repeat delivery of the
same event applies it once. An event that fails again stays failed with the new reason.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import CheckoutEvent
from models.enums import CheckoutEventStatus
from resolvers.checkout import hotmart, kiwify
from resolvers.checkout.payloads import ParsedEvent, PayloadError
from resolvers.checkout.receive import apply_event, with_domain

PARSERS: dict[str, Callable[[Any], ParsedEvent]] = {"hotmart": hotmart.parse, "kiwify": kiwify.parse}


@dataclass(frozen=True)
class Replayed:
    event_id: int
    status: CheckoutEventStatus
    transaction: int | None = None
    error: str | None = None


async def replay_failed(
    sessions: async_sessionmaker[AsyncSession], event_ids: Sequence[int] = ()
) -> list[Replayed]:
    """Every failed event (only `event_ids` when given), oldest first."""
    failed = CheckoutEvent.status == CheckoutEventStatus.FAILED.value
    query = select(CheckoutEvent.id).where(failed).order_by(CheckoutEvent.received_at, CheckoutEvent.id)
    if event_ids:
        query = query.where(CheckoutEvent.id.in_(event_ids))
    async with sessions() as session:
        found = list(await session.scalars(query))
    return [await _replay(sessions, event_id) for event_id in found]


def _payload(stored: Any) -> Any:
    # Read again as the endpoint reads a body: numbers as Decimal, so money stays exact.
    return json.loads(json.dumps(stored), parse_float=Decimal)


async def _replay(sessions: async_sessionmaker[AsyncSession], event_id: int) -> Replayed:
    async with sessions() as session, session.begin():
        event = await session.get(CheckoutEvent, event_id, with_for_update=True, populate_existing=True)
        if event is None or event.status != CheckoutEventStatus.FAILED.value:
            # Replayed meanwhile: reported as it stands.
            status = CheckoutEventStatus(event.status) if event else CheckoutEventStatus.IGNORED
            return Replayed(event_id, status, None if event is None else event.transaction_id)
        parse = PARSERS.get(event.platform)
        try:
            if parse is None:
                raise PayloadError(f"no parser for platform {event.platform!r}")
            parsed = parse(_payload(event.payload))
        except PayloadError as error:
            event.error = f"not a {event.platform} event: {error}"
            return Replayed(event_id, CheckoutEventStatus.FAILED, error=event.error)
        if parsed.sale is None:
            event.status, event.error = CheckoutEventStatus.IGNORED.value, None
            return Replayed(event_id, CheckoutEventStatus.IGNORED)
        applied = await apply_event(session, with_domain(parsed.sale, event.domain_id), event.id)
        if isinstance(applied, str):
            event.error = applied
            return Replayed(event_id, CheckoutEventStatus.FAILED, error=applied)
        event.status, event.error = CheckoutEventStatus.APPLIED.value, None
        event.transaction_id = applied.transaction
        return Replayed(event_id, CheckoutEventStatus.APPLIED, applied.transaction)
