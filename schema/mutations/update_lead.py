"""updateLead: a CRM changed a lead's contact data, score or enrichment."""

import strawberry
from strawberry.scalars import JSON

from models import Lead
from resolvers.context import Info
from resolvers.mutations.update_lead import LeadUpdateRequest, update_lead
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.lead_ref import LeadInput
from schema.mutations.results import LEADS, row_field


@strawberry.input(description="The fields to change: a field left out is kept; null clears it.")
class UpdateLeadInput(LeadInput):
    new_external_id: strawberry.Maybe[str | None] = strawberry.field(description="A new CRM contact id.")
    lead_score: strawberry.Maybe[str | None] = strawberry.field(description="Grade, e.g. A (10 characters).")
    company: strawberry.Maybe[str | None]
    name: strawberry.Maybe[str | None]
    email: strawberry.Maybe[str | None] = strawberry.field(
        description="Normalized (trimmed, lowercased) and hashed; sets emailDomain and isBusinessEmail."
    )
    phone: strawberry.Maybe[str | None] = strawberry.field(
        description="Brazilian numbers may omit +55; stored in E.164 and hashed."
    )
    metadata: strawberry.Maybe[JSON | None] = strawberry.field(
        description="LeadMetadata sections (scoring, qualification, enrichment): fields given replace the "
        "stored ones, others are kept; null removes a field or a section."
    )


@strawberry.type(description="The lead as stored after the update.")
class UpdateLeadPayload:
    lead: Lead | None = row_field("Lead", LEADS, "The lead; null on error.")
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class UpdateLeadMutation:
    @strawberry.mutation(description="Change some fields of a lead. Needs connector or admin.")
    async def update_lead(self, info: Info, input: UpdateLeadInput) -> UpdateLeadPayload:
        request = LeadUpdateRequest(
            lead=input.lead_ref(),
            new_external_id=input.new_external_id,
            lead_score=input.lead_score,
            company=input.company,
            name=input.name,
            email=input.email,
            phone=input.phone,
            metadata=input.metadata,
        )
        outcome = await update_lead(info.context, request)
        return UpdateLeadPayload(lead=outcome.lead, errors=mutation_errors(outcome.errors))
