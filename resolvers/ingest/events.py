"""Events of a session, up to 100 per call: all of them are stored, or none when one is bad."""

import json
import uuid
from dataclasses import dataclass, field

from sqlalchemy import text

from resolvers.ingest.checks import events_failures, sender_failures
from resolvers.ingest.places import Places
from resolvers.ingest.requests import EventRequest, Sender, SessionRef
from resolvers.ingest.sessions import find_session
from resolvers.ingest.statements import Statements
from resolvers.mutations.outcome import Failure


@dataclass(frozen=True)
class EventsOutcome:
    session_id: str | None = None
    event_ids: list[uuid.UUID] = field(default_factory=list)
    counted: bool = True
    errors: list[Failure] = field(default_factory=list)


# Every event of the call in one statement, on the page of the session's latest page view.
INSERT_EVENTS = text("""
WITH s AS (
    UPDATE sessions SET last_activity_at = greatest(last_activity_at, now())
    WHERE session_id = :session_id RETURNING session_id
)
INSERT INTO events (session_id, page_id, event_type, event_category, event_action, event_label,
                    element_id, element_class, event_data)
SELECT s.session_id,
       (SELECT page_id FROM page_views v WHERE v.session_id = s.session_id ORDER BY view_order DESC LIMIT 1),
       e.event_type, e.event_category, e.event_action, e.event_label, e.element_id, e.element_class,
       coalesce(e.event_data, '{}')
FROM s, jsonb_to_recordset(CAST(:events AS jsonb)) AS e(
    event_type text, event_category text, event_action text, event_label text, element_id text,
    element_class text, event_data jsonb)
RETURNING event_id
""")


def _row(event: EventRequest) -> dict[str, object]:
    return {
        "event_type": event.event_type.strip(),
        "event_category": event.category,
        "event_action": event.action,
        "event_label": event.label,
        "element_id": event.element_id,
        "element_class": event.element_class,
        "event_data": event.data,
    }


async def record_events(
    session: Statements, places: Places, ref: SessionRef, events: list[EventRequest], sender: Sender
) -> EventsOutcome:
    errors = events_failures(events, ("input", "events")) + sender_failures(sender, ("input",))
    if errors:
        return EventsOutcome(errors=errors)
    found = await find_session(session, places, ref, sender)
    if isinstance(found, Failure):
        return EventsOutcome(errors=[found])
    rows = json.dumps([_row(event) for event in events])
    ids = (await session.scalars(INSERT_EVENTS, {"session_id": found.session_id, "events": rows})).all()
    return EventsOutcome(session_id=found.session_id, event_ids=[uuid.UUID(str(i)) for i in ids])
