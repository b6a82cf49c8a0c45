"""changeLeadStage: append a stage to a lead's history, unless the same stage and value is in effect."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from models import Lead, LeadStage
from resolvers.context import Context
from resolvers.mutations.input_checks import moment_failures, money_failures, percent_failures, text_failures
from resolvers.mutations.lead_lock import LeadRef, lead_ref_failures, lock_lead
from resolvers.mutations.outcome import Failure, invalid
from resolvers.mutations.permissions import author, refuse_non_writers
from resolvers.mutations.stages import STAGES, StageEntry, record_stage
from resolvers.mutations.transaction import write_transaction


@dataclass(frozen=True)
class StageChangeRequest:
    lead: LeadRef
    stage: str
    value: Decimal | None = None
    probability: int | None = None
    changed_by: str | None = None
    reason: str | None = None
    occurred_at: dt.datetime | None = None
    reopen: bool = False


@dataclass(frozen=True)
class StageChange:
    lead: Lead | None = None
    stage: LeadStage | None = None
    changed: bool = False
    errors: list[Failure] = field(default_factory=list)


def request_failures(request: StageChangeRequest, now: dt.datetime) -> list[Failure]:
    stage = (
        []
        if request.stage in STAGES
        else [invalid(("input", "stage"), f"Must be one of {', '.join(STAGES)}")]
    )
    return [
        *lead_ref_failures(request.lead),
        *stage,
        *money_failures(request.value, ("input", "value")),
        *percent_failures(request.probability, ("input", "probability")),
        *text_failures(request.changed_by, ("input", "changedBy"), 255),
        *moment_failures(request.occurred_at, ("input", "occurredAt"), now),
    ]


async def change_lead_stage(context: Context, request: StageChangeRequest) -> StageChange:
    now = dt.datetime.now(dt.UTC)
    errors = refuse_non_writers(context.principal) or request_failures(request, now)
    if errors:
        return StageChange(errors=errors)
    entry = StageEntry(
        stage=request.stage,
        value=request.value,
        probability=request.probability,
        changed_by=author(context.principal, request.changed_by),
        reason=request.reason,
        occurred_at=request.occurred_at or now,
    )
    async with write_transaction(context, "changeLeadStage") as session:
        lead = await lock_lead(session, request.lead)
        if isinstance(lead, Failure):
            return StageChange(errors=[lead])
        recorded = await record_stage(session, lead, entry, request.reopen)
        if isinstance(recorded, Failure):
            return StageChange(errors=[recorded])
        stage, changed = recorded
        return StageChange(lead=lead, stage=stage, changed=changed)
