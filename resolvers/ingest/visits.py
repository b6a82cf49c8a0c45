"""A visit (scenario 1): find or start the visitor's session, record its UTM capture, page view and journey.

Session rules: a session continues unless it has been idle for 30 minutes, is 24 hours old, or the visit
brings a new campaign or click id. One visitor's visits are serialised by the lock on their journey row,
taken first (an upsert), so concurrent first hits make one session; counters are incremented in SQL, never
in Python.
"""

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import text

from resolvers.ingest.checks import param_failures, sender_failures
from resolvers.ingest.places import PageUrl, Places, find_domain, parse_page_url
from resolvers.ingest.requests import CLICK_ID_COLUMNS, CLICK_IDS, UTM_KEYS, Sender, VisitRequest
from resolvers.ingest.statements import Statements
from resolvers.ingest.visitors import fallback_visitor_id
from resolvers.mutations.input_checks import text_failures
from resolvers.mutations.outcome import Failure, FieldPath

IDLE_LIMIT = dt.timedelta(minutes=30)
LENGTH_LIMIT = dt.timedelta(hours=24)
MAX_URL_PARAMS = 50
MAX_URL_PARAM_LENGTH = 512


@dataclass(frozen=True)
class Visit:
    session_id: str
    visitor_id: str
    new_session: bool
    view_id: uuid.UUID
    view_order: int
    page_id: uuid.UUID


@dataclass(frozen=True)
class VisitOutcome:
    visit: Visit | None = None
    counted: bool = True
    errors: list[Failure] = field(default_factory=list)


# First: counts the page view and locks the visitor's journey row until commit.
JOURNEY = text("""
INSERT INTO visitor_journeys AS j (visitor_id, domain_id, total_sessions, total_page_views)
VALUES (:visitor_id, :domain_id, 0, 1)
ON CONFLICT (visitor_id, domain_id) DO UPDATE
SET total_page_views = j.total_page_views + 1, last_visit_at = greatest(j.last_visit_at, now())
""")
LATEST_SESSION = text("""
SELECT s.session_id, now() - s.started_at AS age, now() - s.last_activity_at AS idle,
       u.utm_campaign, u.gclid, u.fbclid, u.ttclid, u.li_fat_id,
       u.url_params ->> 'gbraid' AS gbraid, u.url_params ->> 'wbraid' AS wbraid,
       u.url_params ->> 'msclkid' AS msclkid
FROM sessions s
LEFT JOIN LATERAL (
    SELECT * FROM utm_tracking t WHERE t.session_id = s.session_id
    ORDER BY t.created_at DESC, t.tracking_id DESC LIMIT 1
) u ON true
WHERE s.domain_id = :domain_id AND s.visitor_id = :visitor_id
ORDER BY s.started_at DESC, s.session_id DESC LIMIT 1
""")

START_SESSION = """
s AS (
    INSERT INTO sessions (session_id, domain_id, visitor_id, first_page_id, total_page_views)
    VALUES (:session_id, :domain_id, :visitor_id, :page_id, 1)
    RETURNING session_id, total_page_views
)"""
CONTINUE_SESSION = """
s AS (
    UPDATE sessions SET total_page_views = total_page_views + 1,
                        last_activity_at = greatest(last_activity_at, now())
    WHERE session_id = :session_id
    RETURNING session_id, total_page_views
)"""
# The page view, the journey and (when the visit carries one) the UTM capture, in one statement.
RECORD_VISIT = """
WITH {session},
pv AS (
    INSERT INTO page_views (session_id, page_id, view_order)
    SELECT session_id, :page_id, total_page_views FROM s
    RETURNING view_id, view_order
),
j AS (
    UPDATE visitor_journeys SET total_sessions = total_sessions + 1
    WHERE visitor_id = :visitor_id AND domain_id = :domain_id AND :new_session
    RETURNING 1
),
u AS (
    INSERT INTO utm_tracking (session_id, page_id, utm_source, utm_medium, utm_campaign, utm_term,
                              utm_content, gclid, fbclid, ttclid, li_fat_id, device, client_ip,
                              user_agent, url_params)
    SELECT :session_id, :page_id, :utm_source, :utm_medium, :utm_campaign, :utm_term, :utm_content,
           :gclid, :fbclid, :ttclid, :li_fat_id, :device, CAST(:client_ip AS inet), :user_agent,
           CAST(:url_params AS jsonb)
    WHERE :capture
    RETURNING 1
)
SELECT pv.view_id, pv.view_order, (SELECT count(*) FROM j) + (SELECT count(*) FROM u) AS written FROM pv
"""
RECORD_NEW = text(RECORD_VISIT.format(session=START_SESSION))
RECORD_CONTINUED = text(RECORD_VISIT.format(session=CONTINUE_SESSION))


def device_of(user_agent: str | None) -> str | None:
    """desktop / mobile / tablet, from the user agent's well-known tokens."""
    if not user_agent:
        return None
    ua = user_agent.lower()
    if "ipad" in ua or "tablet" in ua or ("android" in ua and "mobile" not in ua):
        return "tablet"
    if "mobi" in ua or "iphone" in ua or "ipod" in ua:
        return "mobile"
    return "desktop"


def visit_params(request: VisitRequest, url: PageUrl) -> tuple[dict[str, str], dict[str, str]]:
    """(UTM and click-id values, every other URL parameter): given values win over the URL's."""
    from_url = dict(parse_qsl(url.query, keep_blank_values=False))
    tracked = {k: v for k, v in from_url.items() if k in UTM_KEYS or k in CLICK_IDS}
    tracked |= {k: v for k, v in request.params.items() if v}
    others = {
        k: v[:MAX_URL_PARAM_LENGTH]
        for k, v in list(from_url.items())[:MAX_URL_PARAMS]
        if k not in tracked and len(k) <= 100
    }
    return tracked, others


def visit_failures(request: VisitRequest, sender: Sender) -> list[Failure]:
    path: FieldPath = ("input",)
    failures = text_failures(request.visitor_id, (*path, "visitorId"), 255)
    failures += text_failures(request.page_variant, (*path, "pageVariant"), 50)
    failures += param_failures(request.params, path)
    return failures + sender_failures(sender, path)


def starts_new_session(latest: Any, tracked: dict[str, str]) -> bool:
    if latest is None or latest.idle >= IDLE_LIMIT or latest.age >= LENGTH_LIMIT:
        return True
    campaign = tracked.get("utm_campaign")
    if campaign and campaign != latest.utm_campaign:
        return True
    return any(tracked.get(key) and tracked[key] != getattr(latest, key) for key in CLICK_IDS)


async def record_visit(
    session: Statements, places: Places, request: VisitRequest, sender: Sender, salt: str
) -> VisitOutcome:
    url_field: FieldPath = ("input", "url")
    url = parse_page_url(request.url, url_field)
    if isinstance(url, Failure):
        return VisitOutcome(errors=[url])
    tracked, others = visit_params(request, url)
    # Parameters of the URL itself are checked as given ones: a 600-character gclid is refused, not cut.
    errors = visit_failures(
        VisitRequest(request.url, request.visitor_id, request.page_variant, tracked), sender
    )
    if errors:
        return VisitOutcome(errors=errors)
    domain = await find_domain(session, places, url, sender.domain_id, url_field)
    if isinstance(domain, Failure):
        return VisitOutcome(errors=[domain])
    visitor_id = (request.visitor_id or "").strip() or fallback_visitor_id(
        salt, sender.client_ip, sender.user_agent, url.host.removeprefix("www.")
    )
    page_id = await places.page(session, domain.domain_id, url.path, request.page_variant)
    await session.execute(JOURNEY, {"domain_id": domain.domain_id, "visitor_id": visitor_id})
    latest = (
        await session.execute(LATEST_SESSION, {"domain_id": domain.domain_id, "visitor_id": visitor_id})
    ).one_or_none()
    new_session = starts_new_session(latest, tracked)
    session_id = str(uuid.uuid4()) if new_session or latest is None else str(latest.session_id)
    params: dict[str, Any] = {
        "session_id": session_id,
        "domain_id": domain.domain_id,
        "visitor_id": visitor_id,
        "page_id": page_id,
        "new_session": new_session,
        # Every session's first visit is captured (IP, user agent, device), and any visit with UTMs.
        "capture": new_session or bool(tracked),
        **{key: tracked.get(key) for key in (*UTM_KEYS, *CLICK_ID_COLUMNS)},
        "device": device_of(sender.user_agent),
        "client_ip": sender.client_ip,
        "user_agent": sender.user_agent,
        "url_params": json.dumps(
            others | {k: v for k, v in tracked.items() if k in CLICK_IDS and k not in CLICK_ID_COLUMNS}
        ),
    }
    statement = RECORD_NEW if new_session else RECORD_CONTINUED
    row = (await session.execute(statement, params)).one()
    visit = Visit(session_id, visitor_id, new_session, row.view_id, row.view_order, page_id)
    return VisitOutcome(visit=visit)
