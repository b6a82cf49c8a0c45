"""What /collect takes: one JSON object per request (text/plain too: beacons cannot set headers), with the
GraphQL inputs' field names, decoded into the requests the shared ingestion code records.

    {"type": "visit", "url": ..., "visitorId": ..., "utmSource": ..., "gclid": ..., "pageVariant": ...}
    {"type": "events", "url": ..., "visitorId": ..., "events": [{"type": "click", "label": ...}, ...]}
    {"type": "lead", "url": ..., "visitorId": ..., "email": ..., "phone": ..., "name": ..., "company": ...,
     "idempotencyKey": ..., "adConsent": true}
"""

from dataclasses import dataclass
from typing import Any

from resolvers.ingest.requests import PARAM_FIELDS, EventRequest, LeadRequest, SessionRef, VisitRequest
from resolvers.mutations.outcome import Failure, FieldPath, invalid

KINDS = ("visit", "events", "lead")
EVENT_FIELDS = {
    "type": "event_type", "category": "category", "action": "action", "label": "label",
    "elementId": "element_id", "elementClass": "element_class", "data": "data",
}  # fmt: skip
LEAD_FIELDS = {"email": "email", "phone": "phone", "name": "name", "company": "company",
               "idempotencyKey": "idempotency_key"}  # fmt: skip
COMMON = {"type", "url", "visitorId"}
ALLOWED = {
    "visit": COMMON | {"pageVariant", *PARAM_FIELDS.values()},
    "events": COMMON | {"events"},
    "lead": COMMON | set(LEAD_FIELDS) | {"adConsent"},
}


@dataclass(frozen=True)
class EventsBeacon:
    session: SessionRef
    events: list[EventRequest]


Beacon = VisitRequest | EventsBeacon | LeadRequest


def _text(payload: dict[str, Any], name: str, failures: list[Failure], path: FieldPath = ()) -> str | None:
    value = payload.get(name)
    if value is None or isinstance(value, str):
        return value
    failures.append(invalid((*path, name), "must be a string"))
    return None


def decode_beacon(payload: Any) -> Beacon | list[Failure]:
    if not isinstance(payload, dict):
        return [invalid((), "The body must be one JSON object")]
    kind = payload.get("type")
    if kind not in KINDS:
        return [invalid(("type",), f"must be one of {', '.join(KINDS)}")]
    failures = [invalid((name,), "Unknown field") for name in payload if name not in ALLOWED[kind]]
    url = _text(payload, "url", failures)
    visitor_id = _text(payload, "visitorId", failures)
    if url is None:
        failures.append(invalid(("url",), "is required: the page the beacon comes from"))
    if kind == "visit":
        params = {key: v for key, field in PARAM_FIELDS.items() if (v := _text(payload, field, failures))}
        beacon: Beacon = VisitRequest(
            url=url or "",
            visitor_id=visitor_id,
            page_variant=_text(payload, "pageVariant", failures),
            params=params,
        )
    else:
        if visitor_id is None:
            failures.append(invalid(("visitorId",), "is required: the visitor whose session this belongs to"))
        session = SessionRef(visitor_id=visitor_id, url=url)
        if kind == "events":
            beacon = EventsBeacon(session, _events(payload.get("events"), failures))
        else:
            consent = payload.get("adConsent")
            if consent is not None and not isinstance(consent, bool):
                failures.append(invalid(("adConsent",), "must be true or false"))
            texts = {attribute: _text(payload, name, failures) for name, attribute in LEAD_FIELDS.items()}
            beacon = LeadRequest(session=session, url=url, ad_consent=consent, **texts)
    return failures or beacon


def _events(raw: Any, failures: list[Failure]) -> list[EventRequest]:
    if not isinstance(raw, list):
        failures.append(invalid(("events",), "must be a list of events"))
        return []
    events: list[EventRequest] = []
    for index, item in enumerate(raw):
        path = ("events", str(index))
        if not isinstance(item, dict):
            failures.append(invalid(path, "must be an object"))
            continue
        failures += [invalid((*path, name), "Unknown field") for name in item if name not in EVENT_FIELDS]
        texts = {a: _text(item, n, failures, path) for n, a in EVENT_FIELDS.items() if n != "data"}
        event_type = texts.pop("event_type") or ""
        events.append(EventRequest(event_type, data=item.get("data"), **texts))
    return events
