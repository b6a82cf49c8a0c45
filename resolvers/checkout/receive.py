"""A checkout event, durable first: the raw event and its effect are committed before the 2xx.

One transaction stores the scrubbed payload (unique per platform and dedup key) and applies the sale.
A repeat delivery finds the stored event and changes nothing. A sale that cannot be held is kept as a
failed event with the reason; a database failure rolls everything back and answers 5xx, so the platform
sends it again.
"""

import logging
import uuid
from dataclasses import dataclass, replace
from typing import Any

import asyncpg
from sqlalchemy import literal_column, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import CheckoutEvent
from models.enums import CheckoutEventStatus
from resolvers.checkout.apply import AppliedSale, SaleError, apply_sale
from resolvers.checkout.payloads import ParsedEvent
from resolvers.checkout.scrub import scrub
from resolvers.checkout.shape import Sale

log = logging.getLogger("rastro.webhooks")

# A failure of the database rather than of the sale: through SQLAlchemy, or from apply_sale's asyncpg.
DATABASE_ERRORS = (DBAPIError, asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


@dataclass(frozen=True)
class Receipt:
    event_id: int
    status: CheckoutEventStatus
    duplicate: bool
    transaction: int | None = None
    error: str | None = None


async def receive_event(
    sessions: async_sessionmaker[AsyncSession],
    platform: str,
    account: tuple[int, uuid.UUID] | None,
    parsed: ParsedEvent,
    payload: Any,
) -> Receipt:
    """Store the event (card numbers scrubbed) and apply its sale, in one transaction.

    A sale that fails unexpectedly rolls that transaction back, and the event is kept alone as failed:
    no savepoint (two round trips) around every sale for a case that should not happen.
    """
    account_id, domain_id = account if account is not None else (None, None)
    sale = None if parsed.sale is None else with_domain(parsed.sale, domain_id)
    status = CheckoutEventStatus.IGNORED if sale is None else CheckoutEventStatus.APPLIED
    event = {"platform": platform, "dedup_key": parsed.dedup_key[:255], "event_type": parsed.event_type[:100],
             "account_id": account_id, "domain_id": domain_id, "payload": scrub(payload),
             "status": status.value}  # fmt: skip
    try:
        return await _store(sessions, event, sale)
    except DATABASE_ERRORS:
        raise  # the platform retries: nothing is kept
    except Exception as error:  # a payload this code does not expect: kept for a replay once fixed
        reason = f"unexpected {type(error).__name__}"
        kept = await _store(sessions, {**event, "status": CheckoutEventStatus.FAILED.value, "error": reason})
        # The type only: the message may quote the buyer's data.
        log.error("checkout event %s could not be applied: %s", kept.event_id, type(error).__name__)
        return kept


async def _store(
    sessions: async_sessionmaker[AsyncSession], event: dict[str, Any], sale: Sale | None = None
) -> Receipt:
    async with sessions() as session, session.begin():
        statement: Any = insert(CheckoutEvent).values(**event).on_conflict_do_update(
            index_elements=["platform", "dedup_key"],
            set_={"deliveries": CheckoutEvent.deliveries + 1},
        ).returning(CheckoutEvent.id, CheckoutEvent.status, CheckoutEvent.transaction_id,
                    literal_column("xmax = 0").label("inserted"))  # fmt: skip
        stored = (await session.execute(statement)).one()
        if not stored.inserted:
            return Receipt(stored.id, CheckoutEventStatus(stored.status), True, stored.transaction_id)
        if sale is None:
            return Receipt(stored.id, CheckoutEventStatus(event["status"]), False, error=event.get("error"))
        try:
            applied = await apply_sale(session, sale, stored.id)  # links the event to its transaction
        except SaleError as error:  # raised before anything is written
            await session.execute(
                update(CheckoutEvent)
                .where(CheckoutEvent.id == stored.id)
                .values(status=CheckoutEventStatus.FAILED.value, error=str(error))
            )
            log.warning("%s event %s kept but not applied: %s", event["platform"], stored.id, error)
            return Receipt(stored.id, CheckoutEventStatus.FAILED, False, error=str(error))
        return Receipt(stored.id, CheckoutEventStatus.APPLIED, False, applied.transaction)


def with_domain(sale: Sale, domain_id: uuid.UUID | None) -> Sale:
    """The sale on its account's domain, unless it names one itself."""
    return sale if domain_id is None or sale.domain_id is not None else replace(sale, domain_id=domain_id)


async def apply_event(session: AsyncSession, sale: Sale, event_id: int) -> AppliedSale | str:
    """The applied sale, or why it could not be (its writes undone, the event kept)."""
    try:
        async with session.begin_nested():
            return await apply_sale(session, sale, event_id)
    except SaleError as error:
        return str(error)
    except DATABASE_ERRORS:
        raise  # the platform retries: nothing is kept
    except Exception as error:  # a payload this code does not expect: kept for a replay once fixed
        # The type only: the message may quote the buyer's data.
        log.error("checkout event %s could not be applied: %s", event_id, type(error).__name__)
        return f"unexpected {type(error).__name__}"
