"""Closing the loop: a paid purchase by a known lead goes back to the ad platforms that brought them.

Runs in the sale's transaction, after apply_sale locked the transaction row, so retries and concurrent
events of one transaction decide once. A purchase that was ever approved (approved_at) registers the
lead's `purchase` conversion through registerOfflineConversion's own code; a refunded or charged-back one
then adjusts it: a retraction where the platform takes one (integrations.outbox.RETRACTABLE), a note that
the platform keeps it elsewhere. So a refund that arrives before its approval ends as it would in order.
A purchase with no lead is attributed through its own UTM history only.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.outbox import RETRACTABLE, RetractionReason, retraction_rows
from models import ConversionAdjustment, ConversionOutbox, Transaction
from models.enums import OutboxKind, Platform, SaleStatus
from resolvers.mutations.lead_lock import LeadRef
from resolvers.mutations.register_offline_conversion import (
    ConversionRequest,
    normalized,
    register_in_transaction,
    request_failures,
)

log = logging.getLogger("rastro.webhooks")

CONVERSION_NAME = "purchase"
REASONS: dict[SaleStatus, RetractionReason] = {
    SaleStatus.REFUNDED: "refund",
    SaleStatus.CHARGEBACK: "chargeback",
}


def buyer_lead(customer: str, domain: str, paid_at: str) -> str:
    """The buyer's lead: same e-mail hash, on the sale's domain when it is known; the latest lead captured
    before the payment, else the latest one. Its values are the placeholders given: it runs within
    apply_sale's last statement (resolvers.checkout.sale_rows)."""
    return f"""
SELECT l.lead_id
FROM customers c
JOIN leads l ON l.hashed_email = c.hashed_email
WHERE c.id = {customer} AND ({domain} IS NULL OR l.domain_id = {domain})
ORDER BY l.created_at <= {paid_at} DESC, l.created_at DESC, l.lead_id
LIMIT 1"""


# What closing the loop reads of the transaction row (apply_sale's statements return it, locked).
SOLD_COLUMNS = ", ".join(
    ("id", "platform", "customer_id", "domain_id", "offer_price", "currency", "approved_at", "status_at",
     "offline_conversion_id")
)  # fmt: skip


@dataclass(frozen=True)
class Sold:
    id: int
    platform: str
    customer_id: int
    domain_id: uuid.UUID | None
    offer_price: Decimal
    currency: str
    approved_at: dt.datetime | None
    status_at: dt.datetime | None
    offline_conversion_id: uuid.UUID | None


def wants_lead(row: Sold) -> bool:
    """A paid purchase with no conversion yet: its buyer's lead is looked up."""
    return row.offline_conversion_id is None and row.approved_at is not None


async def close_the_loop(
    session: AsyncSession, row: Sold, status: SaleStatus, lead_id: uuid.UUID | None
) -> None:
    """Register the conversion of a paid purchase once, and adjust it once when the sale is taken back.

    `lead_id` is the buyer's lead (buyer_lead) when wants_lead(row), found with the sale's other writes.
    """
    conversion_id = row.offline_conversion_id
    if conversion_id is None and lead_id is not None:
        conversion_id = await _register(session, row, lead_id)
    reason = REASONS.get(status)
    if conversion_id is not None and reason is not None:
        await _adjust(session, row, conversion_id, reason)


async def _register(session: AsyncSession, row: Sold, lead_id: uuid.UUID) -> uuid.UUID | None:
    assert row.approved_at is not None
    request = normalized(
        ConversionRequest(
            lead=LeadRef(lead_id=lead_id, external_id=None),
            value=row.offer_price,
            conversion_date=row.approved_at,
            conversion_name=CONVERSION_NAME,
            currency=row.currency,
        )
    )
    if request_failures(request, dt.datetime.now(dt.UTC)):
        log.warning("transaction %s: its purchase cannot be a conversion (value or time)", row.id)
        return None
    registered = await register_in_transaction(session, request, f"{row.platform} checkout")
    if registered.conversion is None:
        # The lead's purchase is another sale: only its first purchase is the lead's conversion.
        return None
    taken = await session.scalar(
        select(Transaction.id).where(
            Transaction.offline_conversion_id == registered.conversion.conversion_id, Transaction.id != row.id
        )
    )
    if taken is not None:
        return None
    await session.execute(
        update(Transaction)
        .where(Transaction.id == row.id)
        .values(offline_conversion_id=registered.conversion.conversion_id)
    )
    return registered.conversion.conversion_id


async def _adjust(
    session: AsyncSession, row: Sold, conversion_id: uuid.UUID, reason: RetractionReason
) -> None:
    """Once per platform the conversion was queued for: a retraction, or a recorded-only note."""
    outbox = ConversionOutbox
    queued = (
        await session.execute(
            select(outbox.conversion_id, outbox.domain_id, outbox.platform, outbox.payload).where(
                outbox.conversion_id == conversion_id, outbox.kind == OutboxKind.CONVERSION.value
            )
        )
    ).all()
    if not queued:
        return
    adjusted_at = row.status_at or dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = [dict(r._mapping) for r in queued]
    retractions = retraction_rows(rows, reason, adjusted_at)
    if retractions:
        await session.execute(
            insert(outbox).values(retractions).on_conflict_do_nothing(index_elements=["dedup_key"])
        )
    notes = [
        {
            "conversion_id": conversion_id,
            "platform": r["platform"],
            "reason": reason,
            "action": "retraction" if Platform(r["platform"]) in RETRACTABLE else "recorded",
            "transaction_id": row.id,
            "adjusted_at": adjusted_at,
        }
        for r in rows
    ]
    await session.execute(
        insert(ConversionAdjustment)
        .values(notes)
        .on_conflict_do_nothing(index_elements=["conversion_id", "platform"])
    )
