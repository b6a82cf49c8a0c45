"""What a sender asks ingestion to record, already decoded from GraphQL input or a /collect beacon."""

import uuid
from dataclasses import dataclass, field
from typing import Any

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
# Click ids with a utm_tracking column of their own; the others are kept in url_params.
CLICK_ID_COLUMNS = ("gclid", "fbclid", "ttclid", "li_fat_id")
CLICK_IDS = ("gclid", "gbraid", "wbraid", "fbclid", "ttclid", "li_fat_id", "msclkid")
# The input field of each URL parameter, in GraphQL and /collect alike.
PARAM_FIELDS = {
    "utm_source": "utmSource", "utm_medium": "utmMedium", "utm_campaign": "utmCampaign",
    "utm_term": "utmTerm", "utm_content": "utmContent", "gclid": "gclid", "gbraid": "gbraid",
    "wbraid": "wbraid", "fbclid": "fbclid", "ttclid": "ttclid", "li_fat_id": "liFatId", "msclkid": "msclkid",
}  # fmt: skip


@dataclass(frozen=True)
class Sender:
    """Where a request comes from: the domain its key is bound to (None: any), and the visitor's client."""

    domain_id: uuid.UUID | None
    client_ip: str | None
    user_agent: str | None


@dataclass(frozen=True)
class VisitRequest:
    url: str
    visitor_id: str | None = None
    page_variant: str | None = None
    # utm_* and click ids, by their URL parameter names; those in the URL itself count too.
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EventRequest:
    event_type: str
    category: str | None = None
    action: str | None = None
    label: str | None = None
    element_id: str | None = None
    element_class: str | None = None
    data: Any = None  # checked to be a JSON object


@dataclass(frozen=True)
class SessionRef:
    """A session by its id, or the current session of a visitor on the sender's domain (beacons)."""

    session_id: str | None = None
    visitor_id: str | None = None
    url: str | None = None  # the page the beacon came from, to find the domain


@dataclass(frozen=True)
class LeadRequest:
    session: SessionRef
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    company: str | None = None
    idempotency_key: str | None = None
    ad_consent: bool | None = None
    url: str | None = None
