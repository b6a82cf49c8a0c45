"""The session an event or a lead belongs to: by its id, or the current one of a visitor (beacons)."""

from dataclasses import dataclass

from sqlalchemy import text

from resolvers.ingest.places import DomainRow, Places, find_domain, parse_page_url
from resolvers.ingest.requests import Sender, SessionRef
from resolvers.ingest.statements import Statements
from resolvers.mutations.outcome import ErrorCode, Failure, FieldPath, invalid


@dataclass(frozen=True)
class SessionFound:
    session_id: str


BY_ID = text(
    "SELECT s.domain_id, d.is_active FROM sessions s JOIN domains d USING (domain_id) WHERE session_id = :id"
)
CURRENT_OF_VISITOR = text("""
SELECT session_id FROM sessions WHERE domain_id = :domain_id AND visitor_id = :visitor_id
ORDER BY started_at DESC, session_id DESC LIMIT 1
""")


def _not_found(field: FieldPath, message: str) -> Failure:
    return Failure(ErrorCode.NOT_FOUND, field, message)


async def find_session(
    session: Statements, places: Places, ref: SessionRef, sender: Sender
) -> SessionFound | Failure:
    if ref.session_id is not None:
        field: FieldPath = ("input", "sessionId")
        row = (await session.execute(BY_ID, {"id": ref.session_id})).one_or_none()
        if row is None or (sender.domain_id is not None and row.domain_id != sender.domain_id):
            return _not_found(field, "No session has this id on this key's domain; trackVisit starts one")
        if not row.is_active:
            return invalid(field, "The session's domain is inactive: its tracking is not recorded")
        return SessionFound(ref.session_id)
    domain = await visitor_domain(session, places, ref, sender)
    if isinstance(domain, Failure):
        return domain
    params = {"domain_id": domain.domain_id, "visitor_id": ref.visitor_id}
    found = await session.scalar(CURRENT_OF_VISITOR, params)
    if found is None:
        return no_session_yet()
    return SessionFound(str(found))


async def visitor_domain(
    session: Statements, places: Places, ref: SessionRef, sender: Sender
) -> DomainRow | Failure:
    """The domain of a visitor's beacon (no session id: its visitor id and page URL name the session)."""
    if ref.visitor_id is None or ref.url is None:
        return invalid(("input", "sessionId"), "Give sessionId, or visitorId and url")
    url = parse_page_url(ref.url, ("input", "url"))
    if isinstance(url, Failure):
        return url
    return await find_domain(session, places, url, sender.domain_id, ("input", "url"))


def no_session_yet() -> Failure:
    return _not_found(("input", "visitorId"), "This visitor has no session yet: send the visit first")
