"""The lead a mutation is about (leadId or externalId), locked so writes about one lead run one at a time."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Lead
from resolvers.mutations.outcome import ErrorCode, Failure, conflict, invalid

LEAD_ID = ("input", "leadId")
EXTERNAL_ID = ("input", "externalId")


@dataclass(frozen=True)
class LeadRef:
    lead_id: uuid.UUID | None
    external_id: str | None


def lead_ref_failures(ref: LeadRef) -> list[Failure]:
    if ref.lead_id is None and ref.external_id is None:
        return [invalid(LEAD_ID, "Give leadId or externalId")]
    if ref.lead_id is not None and ref.external_id is not None:
        return [invalid(EXTERNAL_ID, "Give leadId or externalId, not both")]
    return []


async def lock_lead(session: AsyncSession, ref: LeadRef) -> Lead | Failure:
    """The lead, row-locked until the transaction ends; NOT_FOUND, or CONFLICT when externalId is shared."""
    if ref.lead_id is not None:
        where, field, named = Lead.lead_id == ref.lead_id, LEAD_ID, "leadId"
    else:
        where, field, named = Lead.external_id == ref.external_id, EXTERNAL_ID, "externalId"
    query = select(Lead).where(where).limit(2).with_for_update().execution_options(populate_existing=True)
    leads = (await session.scalars(query)).all()
    if not leads:
        return Failure(ErrorCode.NOT_FOUND, field, f"No lead has this {named}")
    if len(leads) > 1:
        return conflict(field, "Several leads share this externalId; use leadId")
    return leads[0]
