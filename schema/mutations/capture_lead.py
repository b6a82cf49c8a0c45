"""captureLead: a form submit becomes a lead of its session (scenario 2); a retry returns the same lead."""

import uuid

import strawberry

from resolvers.context import Info
from resolvers.ingest.ingestion import refuse_non_ingest
from resolvers.ingest.requests import LeadRequest, SessionRef
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.ingest_sender import VisitorClientInput, ingestion_of, sender_of


@strawberry.input(description="A lead form as submitted: an e-mail or a phone at least.")
class CaptureLeadInput:
    session_id: str = strawberry.field(description="The session trackVisit returned.")
    email: str | None = strawberry.field(default=None, description="Validated, trimmed, lowercased, hashed.")
    phone: str | None = strawberry.field(
        default=None, description="Brazilian numbers may omit +55; stored in E.164 and hashed."
    )
    name: str | None = None
    company: str | None = None
    idempotency_key: str | None = strawberry.field(
        default=None, description="The same key on a retried submit returns the lead of the first one."
    )
    ad_consent: bool | None = strawberry.field(
        default=None,
        description="Whether the visitor consented to ad-platform matching "
        "(kept as metadata.consent.adPlatforms).",
    )
    url: str | None = strawberry.field(
        default=None, description="The form's page; default: the last one viewed."
    )
    client: VisitorClientInput | None = None


@strawberry.type(description="The lead a form submit made (or found, on a retry).")
class CapturedLead:
    lead_id: uuid.UUID
    created: bool = strawberry.field(description="False when a retry found the lead of an earlier submit.")


@strawberry.type
class CaptureLeadPayload:
    lead: CapturedLead | None = None
    counted: bool = strawberry.field(
        default=True, description="False when the user agent is a known crawler: nothing was recorded."
    )
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class CaptureLeadMutation:
    @strawberry.mutation(description="Record a lead from a form submit. Needs an ingest or admin key.")
    async def capture_lead(self, info: Info, input: CaptureLeadInput) -> CaptureLeadPayload:
        if refused := refuse_non_ingest(info.context.principal):
            return CaptureLeadPayload(errors=mutation_errors(refused))
        request = LeadRequest(
            session=SessionRef(session_id=input.session_id),
            email=input.email,
            phone=input.phone,
            name=input.name,
            company=input.company,
            idempotency_key=input.idempotency_key,
            ad_consent=input.ad_consent,
            url=input.url,
        )
        outcome = await ingestion_of(info).lead(request, sender_of(info, input.client))
        lead = (
            None
            if outcome.lead_id is None
            else CapturedLead(lead_id=outcome.lead_id, created=outcome.created)
        )
        return CaptureLeadPayload(lead=lead, counted=outcome.counted, errors=mutation_errors(outcome.errors))
