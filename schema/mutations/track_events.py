"""trackEvents: up to 100 events of a session; one bad event and none are stored."""

import uuid

import strawberry
from strawberry.scalars import JSON

from resolvers.context import Info
from resolvers.ingest.ingestion import refuse_non_ingest
from resolvers.ingest.requests import EventRequest, SessionRef
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.ingest_sender import VisitorClientInput, ingestion_of, sender_of


@strawberry.input(description="One interaction: click, scroll, form_start, video_play, download...")
class EventInput:
    type: str = strawberry.field(description="events.event_type (50 characters).")
    category: str | None = None
    action: str | None = None
    label: str | None = None
    element_id: str | None = None
    element_class: str | None = None
    data: JSON | None = strawberry.field(default=None, description="Any JSON object (8 KB at most).")


@strawberry.input
class TrackEventsInput:
    session_id: str = strawberry.field(description="The session trackVisit returned.")
    events: list[EventInput] = strawberry.field(description="1 to 100 events, stored in this order.")
    client: VisitorClientInput | None = None


@strawberry.type
class TrackEventsPayload:
    event_ids: list[uuid.UUID] = strawberry.field(default_factory=list)
    counted: bool = strawberry.field(
        default=True, description="False when the user agent is a known crawler: nothing was recorded."
    )
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class TrackEventsMutation:
    @strawberry.mutation(description="Record events of a session, all or none. Needs an ingest or admin key.")
    async def track_events(self, info: Info, input: TrackEventsInput) -> TrackEventsPayload:
        if refused := refuse_non_ingest(info.context.principal):
            return TrackEventsPayload(errors=mutation_errors(refused))
        events = [
            EventRequest(
                event_type=e.type,
                category=e.category,
                action=e.action,
                label=e.label,
                element_id=e.element_id,
                element_class=e.element_class,
                data=e.data,
            )
            for e in input.events
        ]
        ref = SessionRef(session_id=input.session_id)
        outcome = await ingestion_of(info).events(ref, events, sender_of(info, input.client))
        return TrackEventsPayload(
            event_ids=outcome.event_ids, counted=outcome.counted, errors=mutation_errors(outcome.errors)
        )
