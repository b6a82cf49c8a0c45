"""trackVisit: a server-side sender reports a page load; the session is found or started by the rules."""

import uuid

import strawberry

from resolvers.context import Info
from resolvers.ingest.ingestion import refuse_non_ingest
from resolvers.ingest.requests import PARAM_FIELDS, VisitRequest
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.ingest_sender import VisitorClientInput, ingestion_of, sender_of


@strawberry.input(description="A page load. UTM values and click ids given here win over the URL's own.")
class TrackVisitInput:
    url: str = strawberry.field(description="The page's full URL, query string included.")
    visitor_id: str | None = strawberry.field(
        default=None,
        description="The sender's id of the visitor; default: a salted hash of IP, user agent and domain.",
    )
    page_variant: str | None = strawberry.field(default=None, description="The A/B variant shown, e.g. B.")
    client: VisitorClientInput | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    gclid: str | None = None
    gbraid: str | None = None
    wbraid: str | None = None
    fbclid: str | None = None
    ttclid: str | None = None
    li_fat_id: str | None = None
    msclkid: str | None = None


@strawberry.type(description="The session a visit belongs to.")
class TrackedSession:
    session_id: str
    visitor_id: str
    is_new: bool = strawberry.field(description="True when this visit started the session.")


@strawberry.type(description="The page view a visit recorded.")
class TrackedPageView:
    view_id: uuid.UUID
    view_order: int = strawberry.field(description="1 for the session's first page view, then 2, 3...")
    page_id: uuid.UUID = strawberry.field(description="The landing page (created for a new URL).")


@strawberry.type
class TrackVisitPayload:
    session: TrackedSession | None = None
    page_view: TrackedPageView | None = None
    counted: bool = strawberry.field(
        default=True, description="False when the user agent is a known crawler: nothing was recorded."
    )
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class TrackVisitMutation:
    @strawberry.mutation(description="Record a page load. Needs an ingest or admin key.")
    async def track_visit(self, info: Info, input: TrackVisitInput) -> TrackVisitPayload:
        if refused := refuse_non_ingest(info.context.principal):
            return TrackVisitPayload(errors=mutation_errors(refused))
        params = {key: value for key, name in PARAM_FIELDS.items() if (value := getattr(input, _attr(name)))}
        request = VisitRequest(
            url=input.url, visitor_id=input.visitor_id, page_variant=input.page_variant, params=params
        )
        outcome = await ingestion_of(info).visit(request, sender_of(info, input.client))
        visit = outcome.visit
        if visit is None:
            return TrackVisitPayload(counted=outcome.counted, errors=mutation_errors(outcome.errors))
        return TrackVisitPayload(
            session=TrackedSession(
                session_id=visit.session_id, visitor_id=visit.visitor_id, is_new=visit.new_session
            ),
            page_view=TrackedPageView(
                view_id=visit.view_id, view_order=visit.view_order, page_id=visit.page_id
            ),
        )


def _attr(field: str) -> str:
    """The Python attribute of a camelCase input field."""
    return "".join("_" + c.lower() if c.isupper() else c for c in field)
