"""The lead a mutation is about: leadId or externalId (the CRM's contact id)."""

import uuid

import strawberry

from resolvers.mutations.lead_lock import LeadRef


@strawberry.input(description="Which lead: give leadId or externalId.")
class LeadInput:
    lead_id: uuid.UUID | None = strawberry.field(default=None, description="Rastro's lead id.")
    external_id: str | None = strawberry.field(default=None, description="The CRM's contact id.")

    def lead_ref(self) -> LeadRef:
        return LeadRef(lead_id=self.lead_id, external_id=self.external_id)
