"""A visit (scenario 1): find or start the visitor's session, record its UTM capture, page view and journey.

Session rules: a session continues unless it has been idle for 30 minutes, is 24 hours old, or the visit
brings a new campaign or click id. They run in PostgreSQL (rastro_record_visit, migration 0014), one round
trip per visit: one visitor's visits are serialised by the lock on their journey row, taken first (an
upsert), so concurrent first hits make one session; counters are incremented in SQL, never in Python.
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
from resolvers.ingest.statements import Transaction
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


# One round trip, outside any transaction (migration 0014 says why that is safe).
RECORD_VISIT = text("""
SELECT o_session_id AS session_id, o_new_session AS new_session, o_view_id AS view_id,
       o_view_order AS view_order
FROM rastro_record_visit(
    :domain_id, :visitor_id, :page_id, :new_session_id, :idle_limit, :length_limit, :capture_always,
    :utm_source, :utm_medium, :utm_campaign, :utm_term, :utm_content, :gclid, :gbraid, :wbraid, :fbclid,
    :ttclid, :li_fat_id, :msclkid, :device, CAST(:client_ip AS inet), :user_agent, CAST(:url_params AS jsonb))
""")


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


async def record_visit(
    session: Transaction, places: Places, request: VisitRequest, sender: Sender, salt: str
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
    params: dict[str, Any] = {
        "domain_id": domain.domain_id,
        "visitor_id": visitor_id,
        "page_id": page_id,
        "new_session_id": str(uuid.uuid4()),  # used when the visit starts a session
        "idle_limit": IDLE_LIMIT,
        "length_limit": LENGTH_LIMIT,
        # Every session's first visit is captured (IP, user agent, device), and any visit with UTMs.
        "capture_always": bool(tracked),
        **{key: tracked.get(key) for key in (*UTM_KEYS, *CLICK_IDS)},
        "device": device_of(sender.user_agent),
        "client_ip": sender.client_ip,
        "user_agent": sender.user_agent,
        "url_params": json.dumps(
            others | {k: v for k, v in tracked.items() if k in CLICK_IDS and k not in CLICK_ID_COLUMNS}
        ),
    }
    row = (await session.execute(RECORD_VISIT, params)).one()
    visit = Visit(row.session_id, visitor_id, row.new_session, row.view_id, row.view_order, page_id)
    return VisitOutcome(visit=visit)
