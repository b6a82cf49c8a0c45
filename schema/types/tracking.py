"""Domain, landing pages, sessions, visitor journeys and UTM captures."""

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.scalars import JSON

import models
from loaders.relation import ColumnRead, reads
from resolvers import orderings
from resolvers.context import Info
from resolvers.pages import children_page
from schema.node import Node, node_type
from schema.pagination import Connection
from schema.personal import personal
from schema.relations import lazy, relation, to_many, to_one
from schema.types.shapes import DomainMetadata, domain_metadata

ACTIVITY = "schema.types.activity"
LEADS = "schema.types.leads"
HERE = "schema.types.tracking"

if TYPE_CHECKING:
    from schema.types.activity import Event

# A session's page views and events are no older than its start: their partitions before it are skipped.
SESSION_EVENTS = relation(
    models.Event.session_id,
    "session_id",
    orderings.EVENTS,
    (("eventType", models.Event.event_type),),
    since=(models.Event.created_at, "started_at"),
)


@node_type(models.Domain, models.Domain.domain_id, "A tracked website.")
class Domain(Node):
    domain_id: uuid.UUID
    domain_name: str
    domain_url: str
    is_active: bool = strawberry.field(description="False: the domain's tracking is refused.")
    allowed_origins: list[str] = strawberry.field(description="Origins /collect accepts beacons from.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @strawberry.field(description="DomainMetadata: analytics ids and settings.")
    def metadata(self, root: strawberry.Parent[models.Domain]) -> DomainMetadata:
        return domain_metadata(root.metadata_)

    @strawberry.field(
        description="The metadata object as stored.", metadata=reads(ColumnRead(models.Domain.metadata_))
    )
    def metadata_json(self, root: strawberry.Parent[models.Domain]) -> JSON:
        return cast(JSON, root.metadata_)

    landing_pages = to_many(
        models.LandingPage.domain_id,
        "domain_id",
        lazy("LandingPage", HERE),
        orderings.LANDING_PAGES,
        "The domain's landing pages, oldest first.",
    )
    sessions = to_many(
        models.Session.domain_id,
        "domain_id",
        lazy("Session", HERE),
        orderings.SESSIONS,
        "Sessions on this domain, latest first.",
    )
    visitor_journeys = to_many(
        models.VisitorJourney.domain_id,
        "domain_id",
        lazy("VisitorJourney", HERE),
        orderings.VISITOR_JOURNEYS,
        "Visitors' journeys, most recently active first.",
    )


@node_type(
    models.LandingPage, models.LandingPage.page_id, "A landing page, possibly one variant of an A/B test."
)
class LandingPage(Node):
    page_id: uuid.UUID
    domain_id: uuid.UUID
    page_url: str
    page_name: str | None
    page_variant: str | None
    is_control: bool
    ab_test_id: uuid.UUID | None
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    domain = to_one(models.Domain.domain_id, "domain_id", lazy("Domain", HERE), "The domain of this page.")
    variants = to_many(
        models.LandingPage.ab_test_id,
        "ab_test_id",
        lazy("LandingPage", HERE),
        orderings.LANDING_PAGES,
        "Every variant of this page's A/B test (itself included).",
    )
    sessions_started = to_many(
        models.Session.first_page_id,
        "page_id",
        lazy("Session", HERE),
        orderings.SESSIONS,
        "Sessions that entered through this page.",
    )
    utm_trackings = to_many(
        models.UtmTracking.page_id,
        "page_id",
        lazy("UtmTracking", HERE),
        orderings.UTM_TRACKINGS,
        "UTM captures made on this page.",
    )
    page_views = to_many(
        models.PageView.page_id,
        "page_id",
        lazy("PageView", ACTIVITY),
        orderings.PAGE_VIEWS_BY_TIME,
        "Views of this page, latest first.",
    )
    events = to_many(
        models.Event.page_id, "page_id", lazy("Event", ACTIVITY), orderings.EVENTS, "Events on this page."
    )
    leads = to_many(
        models.Lead.page_id, "page_id", lazy("Lead", LEADS), orderings.LEADS, "Leads captured on this page."
    )


@node_type(models.Session, models.Session.session_id, "One visit of a visitor to a domain.")
class Session(Node):
    session_id: str
    domain_id: uuid.UUID
    visitor_id: str
    first_page_id: uuid.UUID | None
    started_at: dt.datetime
    last_activity_at: dt.datetime
    total_page_views: int
    converted: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    domain = to_one(models.Domain.domain_id, "domain_id", lazy("Domain", HERE), "The domain visited.")
    first_page = to_one(
        models.LandingPage.page_id,
        "first_page_id",
        lazy("LandingPage", HERE),
        "The page the session entered through.",
    )
    visitor_journey = to_one(
        (models.VisitorJourney.visitor_id, models.VisitorJourney.domain_id),
        ("visitor_id", "domain_id"),
        lazy("VisitorJourney", HERE),
        "The visitor's journey on this domain.",
    )
    utm_trackings = to_many(
        models.UtmTracking.session_id,
        "session_id",
        lazy("UtmTracking", HERE),
        orderings.UTM_TRACKINGS,
        "UTM captures of this session.",
    )
    page_views = to_many(
        models.PageView.session_id,
        "session_id",
        lazy("PageView", ACTIVITY),
        orderings.PAGE_VIEWS,
        "Page views in view order.",
        since=(models.PageView.created_at, "started_at"),
    )
    leads = to_many(
        models.Lead.session_id,
        "session_id",
        lazy("Lead", LEADS),
        orderings.LEADS,
        "Leads captured in this session.",
    )

    @strawberry.field(
        description="Events of this session in time order; eventType keeps one type.",
        metadata=reads(SESSION_EVENTS),
    )
    async def events(
        self,
        root: strawberry.Parent[models.Session],
        info: Info,
        event_type: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated["Event", strawberry.lazy(ACTIVITY)]]:
        where = [] if event_type is None else [models.Event.event_type == event_type]
        page = await children_page(
            info, SESSION_EVENTS, root.session_id, first, after, last, before, where, event_type
        )
        return Connection(page=page)


@node_type(
    models.VisitorJourney, models.VisitorJourney.journey_id, "A visitor's sessions on one domain, summed up."
)
class VisitorJourney(Node):
    journey_id: uuid.UUID
    visitor_id: str
    domain_id: uuid.UUID
    first_visit_at: dt.datetime
    last_visit_at: dt.datetime
    total_sessions: int
    total_page_views: int
    converted: bool
    conversion_session_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    domain = to_one(models.Domain.domain_id, "domain_id", lazy("Domain", HERE), "The domain.")
    sessions = to_many(
        (models.Session.visitor_id, models.Session.domain_id),
        ("visitor_id", "domain_id"),
        lazy("Session", HERE),
        orderings.SESSIONS,
        "The visitor's sessions on this domain.",
    )
    conversion_session = to_one(
        models.Session.session_id,
        "conversion_session_id",
        lazy("Session", HERE),
        "The session in which the visitor converted.",
    )


@node_type(
    models.UtmTracking, models.UtmTracking.tracking_id, "UTM parameters and click ids captured in a session."
)
class UtmTracking(Node):
    tracking_id: uuid.UUID
    session_id: str
    page_id: uuid.UUID | None
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None
    utm_term: str | None
    utm_content: str | None
    gclid: str | None
    fbclid: str | None
    ttclid: str | None
    li_fat_id: str | None
    device: str | None
    client_ip: str | None = personal("Client IP address.")
    user_agent: str | None = personal("Browser user agent.")
    url_params: JSON
    created_at: dt.datetime
    updated_at: dt.datetime

    session = to_one(models.Session.session_id, "session_id", lazy("Session", HERE), "The session.")
    landing_page = to_one(models.LandingPage.page_id, "page_id", lazy("LandingPage", HERE), "The page.")
    leads = to_many(
        models.Lead.utm_tracking_id,
        "tracking_id",
        lazy("Lead", LEADS),
        orderings.LEADS,
        "Leads attributed to this capture.",
    )
    offline_conversions = to_many(
        models.OfflineConversion.original_tracking_id,
        "tracking_id",
        lazy("OfflineConversion", "schema.types.conversions"),
        orderings.OFFLINE_CONVERSIONS,
        "Offline conversions attributed to this capture.",
    )
