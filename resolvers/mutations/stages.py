"""Appending to a lead's stage history: the stage in effect at a moment is the latest at or before it."""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Lead, LeadStage
from resolvers import orderings
from resolvers.mutations.outcome import Failure, conflict

STAGES = ("new", "qualified", "proposal", "negotiation", "won", "lost")
CLOSED_STAGES = frozenset({"won", "lost"})


@dataclass(frozen=True)
class StageEntry:
    stage: str
    value: Decimal | None
    probability: int | None
    changed_by: str
    reason: str | None
    occurred_at: dt.datetime


async def stage_at(session: AsyncSession, lead_id: uuid.UUID, moment: dt.datetime) -> LeadStage | None:
    query = (
        select(LeadStage)
        .where(LeadStage.lead_id == lead_id, LeadStage.created_at <= moment)
        .order_by(*orderings.LATEST_STAGE.clauses())
        .limit(1)
    )
    return await session.scalar(query)


async def record_stage(
    session: AsyncSession, lead: Lead, entry: StageEntry, reopen: bool
) -> tuple[LeadStage, bool] | Failure:
    """(row, changed): the stage already in effect when it has the same name and value, else a new row."""
    previous = await stage_at(session, lead.lead_id, entry.occurred_at)
    if previous is not None:
        if previous.stage_name == entry.stage and previous.stage_value == entry.value:
            return previous, False
        if previous.stage_name in CLOSED_STAGES and previous.stage_name != entry.stage and not reopen:
            message = f"The lead is {previous.stage_name}; moving it to {entry.stage} needs reopen: true"
            return conflict(("input", "reopen"), message)
    rows = await session.scalars(
        insert(LeadStage)
        .values(
            lead_id=lead.lead_id,
            domain_id=lead.domain_id,
            stage_name=entry.stage,
            stage_value=entry.value,
            probability=entry.probability,
            changed_by=entry.changed_by,
            reason=entry.reason,
            created_at=entry.occurred_at,
        )
        .returning(LeadStage)
    )
    return rows.one(), True
