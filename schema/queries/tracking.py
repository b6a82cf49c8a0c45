"""Root fields for domains, landing pages, sessions and visitor journeys."""

import enum
import uuid

import strawberry
from sqlalchemy import ColumnElement, exists, select

import models
from loaders.keyset import Ordering
from loaders.relation import Lookup, RootList, RootLookups, reads
from resolvers import orderings
from resolvers.context import Info
from resolvers.errors import ArgumentError
from resolvers.filters import Column, FilterSpec, Via, ordering
from resolvers.pages import root_connection
from schema.filters import (
    BooleanFilter,
    DateTimeFilter,
    IntFilter,
    SearchableStringFilter,
    StringFilter,
    UUIDFilter,
    root_filter,
)
from schema.inputs import OrderDirection
from schema.node import Node, exposed, load_node, load_nodes, lookup
from schema.pagination import Connection
from schema.types.tracking import Domain, LandingPage, Session, VisitorJourney

MAX_NODES = 100


@root_filter("Which sessions: every given condition must hold.")
class SessionFilter:
    session_id: StringFilter | None = strawberry.field(default=None, description="The session's id.")
    domain_id: UUIDFilter | None = strawberry.field(default=None, description="On this domain.")
    visitor_id: StringFilter | None = strawberry.field(default=None, description="Of this visitor.")
    converted: BooleanFilter | None = strawberry.field(default=None, description="Ended in a lead or not.")
    started: DateTimeFilter | None = strawberry.field(default=None, description="When it started.")
    total_page_views: IntFilter | None = strawberry.field(default=None, description="Pages it viewed.")
    utm_source: StringFilter | None = strawberry.field(default=None, description="A UTM capture has it.")
    utm_medium: StringFilter | None = strawberry.field(default=None, description="A UTM capture has it.")
    utm_campaign: SearchableStringFilter | None = strawberry.field(
        default=None, description="A UTM capture has it."
    )


@root_filter("Which domains: every given condition must hold.")
class DomainFilter:
    domain_name: StringFilter | None = strawberry.field(default=None, description="The domain's name.")
    is_active: BooleanFilter | None = strawberry.field(default=None, description="Tracked or paused.")
    created: DateTimeFilter | None = strawberry.field(default=None, description="When it was registered.")


@root_filter("Which landing pages: every given condition must hold.")
class LandingPageFilter:
    page_id: UUIDFilter | None = strawberry.field(default=None, description="The page's id.")
    domain_id: UUIDFilter | None = strawberry.field(default=None, description="On this domain.")
    page_name: StringFilter | None = strawberry.field(default=None, description="The page's name.")
    page_variant: StringFilter | None = strawberry.field(default=None, description="Its A/B variant label.")
    ab_test_id: UUIDFilter | None = strawberry.field(default=None, description="In this A/B test.")
    is_control: BooleanFilter | None = strawberry.field(default=None, description="Its test's control.")
    is_active: BooleanFilter | None = strawberry.field(default=None, description="Live or retired.")
    created: DateTimeFilter | None = strawberry.field(default=None, description="When it was registered.")


@root_filter("Which visitor journeys: every given condition must hold.")
class VisitorJourneyFilter:
    visitor_id: StringFilter | None = strawberry.field(default=None, description="Of this visitor.")
    domain_id: UUIDFilter | None = strawberry.field(default=None, description="On this domain.")
    converted: BooleanFilter | None = strawberry.field(default=None, description="Ended in a lead or not.")
    first_visit: DateTimeFilter | None = strawberry.field(default=None, description="Its first visit.")
    last_visit: DateTimeFilter | None = strawberry.field(default=None, description="Its latest visit.")
    total_sessions: IntFilter | None = strawberry.field(default=None, description="Sessions it had.")
    total_page_views: IntFilter | None = strawberry.field(default=None, description="Pages it viewed.")


@strawberry.enum(description="What sessions are sorted by (ties broken by session id).")
class SessionOrderField(enum.Enum):
    STARTED_AT = "started_at"
    LAST_ACTIVITY_AT = "last_activity_at"
    TOTAL_PAGE_VIEWS = "total_page_views"


@strawberry.input
class SessionOrder:
    field: SessionOrderField = SessionOrderField.STARTED_AT
    direction: OrderDirection = OrderDirection.DESC


def _utm_of_session(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    u = models.UtmTracking
    return exists(select(u.tracking_id).where(u.session_id == models.Session.session_id, *conditions))


UTM_OF_SESSION = Via(_utm_of_session)
SESSIONS = FilterSpec(
    {
        "session_id": Column(models.Session.session_id),
        "domain_id": Column(models.Session.domain_id),
        "visitor_id": Column(models.Session.visitor_id),
        "converted": Column(models.Session.converted),
        "started": Column(models.Session.started_at),
        "total_page_views": Column(models.Session.total_page_views),
        "utm_source": Column(models.UtmTracking.utm_source, UTM_OF_SESSION),
        "utm_medium": Column(models.UtmTracking.utm_medium, UTM_OF_SESSION),
        "utm_campaign": Column(models.UtmTracking.utm_campaign, UTM_OF_SESSION),
    }
)
session_filters = SESSIONS.where
DOMAINS = FilterSpec(
    {
        "domain_name": Column(models.Domain.domain_name),
        "is_active": Column(models.Domain.is_active),
        "created": Column(models.Domain.created_at),
    }
)
LANDING_PAGES = FilterSpec(
    {
        "page_id": Column(models.LandingPage.page_id),
        "domain_id": Column(models.LandingPage.domain_id),
        "page_name": Column(models.LandingPage.page_name),
        "page_variant": Column(models.LandingPage.page_variant),
        "ab_test_id": Column(models.LandingPage.ab_test_id),
        "is_control": Column(models.LandingPage.is_control),
        "is_active": Column(models.LandingPage.is_active),
        "created": Column(models.LandingPage.created_at),
    }
)
JOURNEYS = FilterSpec(
    {
        "visitor_id": Column(models.VisitorJourney.visitor_id),
        "domain_id": Column(models.VisitorJourney.domain_id),
        "converted": Column(models.VisitorJourney.converted),
        "first_visit": Column(models.VisitorJourney.first_visit_at),
        "last_visit": Column(models.VisitorJourney.last_visit_at),
        "total_sessions": Column(models.VisitorJourney.total_sessions),
        "total_page_views": Column(models.VisitorJourney.total_page_views),
    }
)


def session_ordering(keys: list[SessionOrder] | None) -> Ordering:
    return ordering(models.Session, orderings.SESSIONS, keys)


@strawberry.type
class TrackingQuery:
    @strawberry.field(description="Any object by its global id; null when it does not exist.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return exposed(Node, await load_node(info, id))

    @strawberry.field(description="Objects by global ids, in the order given (null where none exists).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise ArgumentError("ids", f"may hold at most {MAX_NODES} ids, got {len(ids)}")
        return await load_nodes(info, ids)

    @strawberry.field(
        description="Domains, by name.",
        metadata=reads(RootList(models.Domain, orderings.DOMAINS, where=DOMAINS.where)),
    )
    async def domains(
        self,
        info: Info,
        filter: DomainFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Domain]:
        where = DOMAINS.where(filter)
        page = await root_connection(
            info, models.Domain, where, orderings.DOMAINS, first, after, last, before
        )
        return Connection(page=page)

    @strawberry.field(
        description="One domain by its id or its name; null when none matches.",
        metadata=reads(
            RootLookups(
                (
                    Lookup(("domainId",), (models.Domain.domain_id,)),
                    Lookup(("domainName",), (models.Domain.domain_name,)),
                )
            )
        ),
    )
    async def domain(
        self, info: Info, domain_id: uuid.UUID | None = None, domain_name: str | None = None
    ) -> Domain | None:
        if (domain_id is None) == (domain_name is None):
            raise ArgumentError("domainId", "or 'domainName': give exactly one")
        if domain_name is not None:
            return await lookup(info, Domain, domain_name, models.Domain.domain_name)
        return await lookup(info, Domain, domain_id, models.Domain.domain_id)

    @strawberry.field(
        description="One landing page by id; null when none matches.",
        metadata=reads(RootLookups((Lookup(("pageId",), (models.LandingPage.page_id,)),))),
    )
    async def landing_page(self, info: Info, page_id: uuid.UUID) -> LandingPage | None:
        return await lookup(info, LandingPage, page_id, models.LandingPage.page_id)

    @strawberry.field(
        description="Landing pages, oldest first; domainId keeps one domain's, filter any.",
        metadata=reads(
            RootList(
                models.LandingPage,
                orderings.LANDING_PAGES,
                (("domainId", models.LandingPage.domain_id),),
                where=LANDING_PAGES.where,
            )
        ),
    )
    async def landing_pages(
        self,
        info: Info,
        domain_id: uuid.UUID | None = None,
        filter: LandingPageFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[LandingPage]:
        where = [] if domain_id is None else [models.LandingPage.domain_id == domain_id]
        where += LANDING_PAGES.where(filter)
        page = await root_connection(
            info, models.LandingPage, where, orderings.LANDING_PAGES, first, after, last, before
        )
        return Connection(page=page)

    @strawberry.field(
        description="One session by id; null when none matches.",
        metadata=reads(RootLookups((Lookup(("sessionId",), (models.Session.session_id,)),))),
    )
    async def session(self, info: Info, session_id: str) -> Session | None:
        return await lookup(info, Session, session_id, models.Session.session_id)

    @strawberry.field(
        description="Sessions matching a filter, latest first unless orderBy says otherwise.",
        metadata=reads(
            RootList(models.Session, orderings.SESSIONS, where=SESSIONS.where, order=session_ordering)
        ),
    )
    async def sessions(
        self,
        info: Info,
        filter: SessionFilter | None = None,
        order_by: list[SessionOrder] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Session]:
        page = await root_connection(
            info,
            models.Session,
            SESSIONS.where(filter),
            session_ordering(order_by),
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)

    @strawberry.field(
        description="A visitor's journey on one domain; null when none matches.",
        metadata=reads(
            RootLookups(
                (
                    Lookup(
                        ("visitorId", "domainId"),
                        (models.VisitorJourney.visitor_id, models.VisitorJourney.domain_id),
                    ),
                )
            )
        ),
    )
    async def visitor_journey(
        self, info: Info, visitor_id: str, domain_id: uuid.UUID
    ) -> VisitorJourney | None:
        return await lookup(
            info,
            VisitorJourney,
            (visitor_id, domain_id),
            models.VisitorJourney.visitor_id,
            models.VisitorJourney.domain_id,
        )

    @strawberry.field(
        description="Visitor journeys, most recently active first.",
        metadata=reads(
            RootList(
                models.VisitorJourney,
                orderings.VISITOR_JOURNEYS,
                (
                    ("domainId", models.VisitorJourney.domain_id),
                    ("converted", models.VisitorJourney.converted),
                ),
                where=JOURNEYS.where,
            )
        ),
    )
    async def visitor_journeys(
        self,
        info: Info,
        domain_id: uuid.UUID | None = None,
        converted: bool | None = None,
        filter: VisitorJourneyFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[VisitorJourney]:
        j = models.VisitorJourney
        where = [
            c
            for c in (
                None if domain_id is None else j.domain_id == domain_id,
                None if converted is None else j.converted.is_(converted),
            )
            if c is not None
        ]
        where += JOURNEYS.where(filter)
        page = await root_connection(info, j, where, orderings.VISITOR_JOURNEYS, first, after, last, before)
        return Connection(page=page)
