"""changeLeadStage: a CRM moved a lead along its pipeline."""

import datetime as dt
from decimal import Decimal

import strawberry

from models import Lead, LeadStage
from resolvers.context import Info
from resolvers.mutations.change_lead_stage import StageChangeRequest, change_lead_stage
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.lead_ref import LeadInput
from schema.mutations.results import LEADS, row_field


@strawberry.input(description="A stage the lead reached. Repeating it changes nothing.")
class ChangeLeadStageInput(LeadInput):
    stage: str = strawberry.field(description="new, qualified, proposal, negotiation, won or lost.")
    value: Decimal | None = strawberry.field(default=None, description="Deal value, >= 0, 2 decimals.")
    probability: int | None = strawberry.field(default=None, description="Chance to win, 0 to 100.")
    changed_by: str | None = strawberry.field(
        default=None, description="Who moved it (an e-mail or a system); defaults to the API key's name."
    )
    reason: str | None = None
    occurred_at: dt.datetime | None = strawberry.field(
        default=None, description="When it happened (with offset); defaults to now. Orders the history."
    )
    reopen: bool = strawberry.field(default=False, description="Needed to move a won or lost lead.")


@strawberry.type(description="The lead, the stage in effect, and whether a row was appended.")
class ChangeLeadStagePayload:
    lead: Lead | None = row_field("Lead", LEADS, "The lead; null on error.")
    stage: LeadStage | None = row_field(
        "LeadStage", LEADS, "The appended stage, or the one already in effect when nothing changed."
    )
    changed: bool = strawberry.field(
        default=False, description="False when the same stage and value was in effect."
    )
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class ChangeLeadStageMutation:
    @strawberry.mutation(
        description="Append a stage to a lead's history (never rewritten). Needs connector or admin."
    )
    async def change_lead_stage(self, info: Info, input: ChangeLeadStageInput) -> ChangeLeadStagePayload:
        request = StageChangeRequest(
            lead=input.lead_ref(),
            stage=input.stage,
            value=input.value,
            probability=input.probability,
            changed_by=input.changed_by,
            reason=input.reason,
            occurred_at=input.occurred_at,
            reopen=input.reopen,
        )
        outcome = await change_lead_stage(info.context, request)
        return ChangeLeadStagePayload(
            lead=outcome.lead,
            stage=outcome.stage,
            changed=outcome.changed,
            errors=mutation_errors(outcome.errors),
        )
