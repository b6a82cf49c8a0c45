"""Events of a session, up to 100 per call: all of them are stored, or none when one is bad."""

import json
import uuid
from dataclasses import dataclass, field

from sqlalchemy import text

from resolvers.ingest.checks import events_failures, sender_failures
from resolvers.ingest.places import Places
from resolvers.ingest.requests import EventRequest, Sender, SessionRef
from resolvers.ingest.sessions import find_session, no_session_yet, visitor_domain
from resolvers.ingest.statements import Statements
from resolvers.mutations.outcome import Failure


@dataclass(frozen=True)
class EventsOutcome:
    session_id: str | None = None
    event_ids: list[uuid.UUID] = field(default_factory=list)
    counted: bool = True
    errors: list[Failure] = field(default_factory=list)


# Every event of the call in one statement, on the page of the session's latest page view.
INSERT_EVENTS = """
WITH s AS (
    UPDATE sessions SET last_activity_at = greatest(last_activity_at, now())
    WHERE session_id = {session} RETURNING session_id, domain_id
),
-- The page is looked up once per call, not once per event.
p AS MATERIALIZED (
    SELECT s.session_id, s.domain_id,
           (SELECT page_id FROM page_views v WHERE v.session_id = s.session_id
            ORDER BY view_order DESC LIMIT 1) AS page_id
    FROM s
)
INSERT INTO events (session_id, domain_id, page_id, event_type, event_category, event_action, event_label,
                    element_id, element_class, event_data)
SELECT p.session_id, p.domain_id, p.page_id,
       e.event_type, e.event_category, e.event_action, e.event_label, e.element_id, e.element_class,
       coalesce(e.event_data, '{{}}')
FROM p, jsonb_to_recordset(CAST(:events AS jsonb)) AS e(
    event_type text, event_category text, event_action text, event_label text, element_id text,
    element_class text, event_data jsonb)
RETURNING session_id, event_id
"""
INSERT_EVENTS_OF_SESSION = text(INSERT_EVENTS.format(session=":session_id"))
# A beacon names its visitor: the visitor's current session is found in the same round trip.
INSERT_EVENTS_OF_VISITOR = text(
    INSERT_EVENTS.format(
        session="(SELECT session_id FROM sessions WHERE domain_id = :domain_id AND visitor_id = :visitor_id"
        " ORDER BY started_at DESC, session_id DESC LIMIT 1)"
    )
)


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
    rows = json.dumps([_row(event) for event in events])
    if ref.session_id is None:
        domain = await visitor_domain(session, places, ref, sender)
        if isinstance(domain, Failure):
            return EventsOutcome(errors=[domain])
        params = {"domain_id": domain.domain_id, "visitor_id": ref.visitor_id, "events": rows}
        inserted = (await session.execute(INSERT_EVENTS_OF_VISITOR, params)).all()
        if not inserted:  # no session to update: the visitor has none yet (events are never empty)
            return EventsOutcome(errors=[no_session_yet()])
    else:
        found = await find_session(session, places, ref, sender)
        if isinstance(found, Failure):
            return EventsOutcome(errors=[found])
        params = {"session_id": found.session_id, "events": rows}
        inserted = (await session.execute(INSERT_EVENTS_OF_SESSION, params)).all()
    ids = [row.event_id for row in inserted]  # asyncpg gives UUIDs
    return EventsOutcome(session_id=str(inserted[0].session_id) if inserted else None, event_ids=ids)
