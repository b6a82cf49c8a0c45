"""A lead (scenario 2): from the session and its first UTM capture, converted, staged 'new', sent to the CRM.

A session's submits are serialised by locks on its visitor's journey row, then its own row (the order a
visit takes them, so the two never deadlock); a retry (same session and e-mail, or the same
idempotency key) finds the lead the first one made.
"""

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from resolvers.ingest.checks import sender_failures
from resolvers.ingest.places import PageUrl, Places, parse_page_url
from resolvers.ingest.requests import LeadRequest, Sender
from resolvers.ingest.sessions import find_session
from resolvers.ingest.statements import Statements
from resolvers.mutations.input_checks import text_failures
from resolvers.mutations.outcome import Failure, invalid
from resolvers.mutations.update_lead import email_columns, phone_columns
from resolvers.personal_data import InvalidPersonalData


@dataclass(frozen=True)
class LeadOutcome:
    lead_id: uuid.UUID | None = None
    created: bool = False
    counted: bool = True
    errors: list[Failure] = field(default_factory=list)


LOCK_JOURNEY = text("""
SELECT 1 FROM visitor_journeys j JOIN sessions s ON (j.visitor_id, j.domain_id) = (s.visitor_id, s.domain_id)
WHERE s.session_id = :session_id FOR UPDATE OF j
""")
LOCK_SESSION = text("SELECT domain_id, visitor_id FROM sessions WHERE session_id = :session_id FOR UPDATE")
EXISTING = text("""
SELECT lead_id FROM leads
WHERE session_id = :session_id
  AND (idempotency_key = :idempotency_key
       OR hashed_email = :hashed_email
       OR (hashed_email IS NULL AND CAST(:hashed_email AS varchar) IS NULL AND hashed_phone = :hashed_phone))
ORDER BY created_at LIMIT 1
""")
PAGE_OF_URL = text("""
SELECT page_id FROM landing_pages WHERE domain_id = :domain_id AND page_url = :path
ORDER BY is_control DESC, created_at LIMIT 1
""")
# The lead, its 'new' stage, the converted session and journey, and the CRM webhook's row, at once.
CAPTURE = text("""
WITH s AS (
    SELECT session_id, domain_id, visitor_id, started_at FROM sessions WHERE session_id = :session_id
),
first_capture AS (
    SELECT * FROM utm_tracking WHERE session_id = :session_id ORDER BY created_at, tracking_id LIMIT 1
),
l AS (
    INSERT INTO leads (session_id, domain_id, utm_tracking_id, page_id, name, email, hashed_email, company,
                       phone, hashed_phone, is_business_email, email_domain, time_to_conversion, metadata,
                       idempotency_key)
    SELECT s.session_id, s.domain_id, (SELECT tracking_id FROM first_capture),
           coalesce(CAST(:page_id AS uuid),
                    (SELECT page_id FROM page_views v WHERE v.session_id = s.session_id
                     ORDER BY view_order DESC LIMIT 1)),
           :name, :email, :hashed_email, :company, :phone, :hashed_phone, :is_business_email,
           :email_domain, greatest(0, floor(extract(epoch FROM now() - s.started_at)))::int,
           CAST(:metadata AS jsonb), :idempotency_key
    FROM s
    RETURNING *
),
stage AS (
    INSERT INTO lead_stages (lead_id, domain_id, stage_name, changed_by)
    SELECT lead_id, domain_id, 'new', 'system' FROM l
),
converted AS (
    UPDATE sessions SET converted = true WHERE session_id = :session_id
),
journey AS (
    UPDATE visitor_journeys j SET converted = true,
           conversion_session_id = coalesce(j.conversion_session_id, s.session_id)
    FROM s WHERE j.visitor_id = s.visitor_id AND j.domain_id = s.domain_id
),
crm AS (
    INSERT INTO integrations_log (lead_id, domain_id, integration_type, integration_name, status,
                                  request_data)
    SELECT l.lead_id, l.domain_id, 'webhook', a.name, 'pending', jsonb_build_object(
        'event', 'lead.created',
        'lead', jsonb_strip_nulls(jsonb_build_object(
            'leadId', l.lead_id, 'sessionId', l.session_id, 'name', l.name, 'email', l.email,
            'phone', l.phone, 'company', l.company, 'isBusinessEmail', l.is_business_email,
            'timeToConversion', l.time_to_conversion, 'createdAt', l.created_at,
            'utm', (SELECT jsonb_strip_nulls(jsonb_build_object(
                        'source', utm_source, 'medium', utm_medium, 'campaign', utm_campaign,
                        'term', utm_term, 'content', utm_content, 'gclid', gclid, 'fbclid', fbclid,
                        'ttclid', ttclid, 'liFatId', li_fat_id)) FROM first_capture))))
    FROM l JOIN delivery_accounts a ON a.domain_id = (SELECT domain_id FROM s)
    WHERE a.destination = 'crm_webhook'
)
SELECT lead_id FROM l
""")


def lead_columns(request: LeadRequest) -> tuple[dict[str, Any], list[Failure]]:
    failures = text_failures(request.name, ("input", "name"), 255)
    failures += text_failures(request.company, ("input", "company"), 255)
    failures += text_failures(request.idempotency_key, ("input", "idempotencyKey"), 255)
    if not (request.email or "").strip() and not (request.phone or "").strip():
        failures.append(invalid(("input", "email"), "A lead needs an e-mail or a phone"))
    columns: dict[str, Any] = {"name": _trimmed(request.name), "company": _trimmed(request.company)}
    for input_field, given, to_columns in (
        ("email", request.email, email_columns),
        ("phone", request.phone, phone_columns),
    ):
        try:
            columns |= to_columns(given if (given or "").strip() else None)
        except InvalidPersonalData as problem:
            failures.append(invalid(("input", input_field), f"{input_field.capitalize()} {problem}"))
    consent = {} if request.ad_consent is None else {"consent": {"adPlatforms": request.ad_consent}}
    columns["metadata"] = json.dumps(consent)
    columns["idempotency_key"] = _trimmed(request.idempotency_key)
    return columns, failures


def _trimmed(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


async def capture_lead(
    session: Statements, places: Places, request: LeadRequest, sender: Sender
) -> LeadOutcome:
    columns, errors = lead_columns(request)
    errors += sender_failures(sender, ("input",))
    url = None if request.url is None else parse_page_url(request.url, ("input", "url"))
    if isinstance(url, Failure):
        errors.append(url)
    if errors:
        return LeadOutcome(errors=errors)
    found = await find_session(session, places, request.session, sender)
    if isinstance(found, Failure):
        return LeadOutcome(errors=[found])
    params = {"session_id": found.session_id, **columns}
    await session.execute(LOCK_JOURNEY, params)
    owner = (await session.execute(LOCK_SESSION, params)).one()
    existing = await session.scalar(EXISTING, params)
    if existing is not None:
        return LeadOutcome(lead_id=uuid.UUID(str(existing)), created=False)
    page_id = None
    if isinstance(url, PageUrl):
        page_id = await session.scalar(PAGE_OF_URL, {"domain_id": owner.domain_id, "path": url.path})
    lead_id = await session.scalar(CAPTURE, {**params, "page_id": page_id})
    return LeadOutcome(lead_id=uuid.UUID(str(lead_id)), created=True)
