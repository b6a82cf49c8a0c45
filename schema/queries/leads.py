"""Root fields for leads and offline conversions."""

import enum
import uuid

import strawberry
from sqlalchemy import ColumnElement, String, exists, literal, or_, select

import models
from loaders.keyset import Ordering, asc, desc
from loaders.relation import Lookup, RootList, RootLookups, reads
from models.enums import Platform
from resolvers import orderings
from resolvers.context import Info
from resolvers.errors import ArgumentError
from resolvers.pages import first_row, root_connection
from resolvers.personal_data import email_lookup_hash
from schema.inputs import DateTimeRange, OrderDirection, in_range, utm_matches
from schema.node import exposed, lookup
from schema.pagination import Connection
from schema.personal import refuse_personal_lookup
from schema.types.conversions import OfflineConversion, SyncState
from schema.types.leads import Lead

LOOKUPS = ("leadId", "externalId", "email")


@strawberry.input(description="Which leads: every given condition must hold.")
class LeadFilter:
    domain_id: uuid.UUID | None = strawberry.field(default=None, description="Captured on this domain.")
    current_stage: str | None = strawberry.field(default=None, description="Name of the latest stage.")
    score: str | None = strawberry.field(default=None, description="This lead score, e.g. A.")
    created: DateTimeRange | None = strawberry.field(default=None, description="Captured in this range.")
    utm_source: str | None = strawberry.field(default=None, description="Attributed to this utm_source.")
    utm_medium: str | None = strawberry.field(default=None, description="Attributed to this utm_medium.")
    utm_campaign: str | None = strawberry.field(default=None, description="Attributed to this utm_campaign.")
    is_business_email: bool | None = strawberry.field(default=None, description="Corporate e-mail or not.")
    has_conversion: bool | None = strawberry.field(default=None, description="Has an offline conversion.")
    external_id: str | None = strawberry.field(default=None, description="This CRM id.")


@strawberry.enum(description="What leads are sorted by (ties broken by lead id).")
class LeadOrderField(enum.Enum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(description="Sort order of leads.")
class LeadOrder:
    field: LeadOrderField = strawberry.field(default=LeadOrderField.CREATED_AT, description="Sort key.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Direction.")


@strawberry.input(description="Which offline conversions: every given condition must hold.")
class OfflineConversionFilter:
    platform: Platform | None = strawberry.field(
        default=None, description="Known to this platform (in this syncStatus when given)."
    )
    sync_status: SyncState | None = strawberry.field(
        default=None, description="In this state on `platform`, or on any platform when none is given."
    )
    conversion_name: str | None = strawberry.field(default=None, description="This conversion action.")
    conversion_date: DateTimeRange | None = strawberry.field(
        default=None, description="Closed in this range."
    )
    lead_id: uuid.UUID | None = strawberry.field(default=None, description="Of this lead.")


@strawberry.enum(description="What offline conversions are sorted by (ties broken by conversion id).")
class OfflineConversionOrderField(enum.Enum):
    CONVERSION_DATE = "conversion_date"
    CREATED_AT = "created_at"


@strawberry.input(description="Sort order of offline conversions.")
class OfflineConversionOrder:
    field: OfflineConversionOrderField = strawberry.field(
        default=OfflineConversionOrderField.CONVERSION_DATE, description="Sort key."
    )
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Direction.")


def latest_stage_name() -> ColumnElement[str]:
    s = models.LeadStage
    latest = select(s.stage_name).where(s.lead_id == models.Lead.lead_id)
    return latest.order_by(*orderings.LATEST_STAGE.clauses()).limit(1).scalar_subquery()


def lead_filters(value: LeadFilter | None) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    lead, s, u = models.Lead, models.Session, models.UtmTracking
    clauses: list[ColumnElement[bool]] = []
    if value.domain_id is not None:
        domain = s.session_id == lead.session_id, s.domain_id == value.domain_id
        clauses.append(exists(select(s.session_id).where(*domain)))
    if value.current_stage is not None:
        clauses.append(latest_stage_name().is_not_distinct_from(value.current_stage))
    if value.score is not None:
        clauses.append(lead.lead_score == value.score)
    clauses += in_range(lead.created_at, value.created)
    utm = utm_matches(value.utm_source, value.utm_medium, value.utm_campaign)
    if utm:
        clauses.append(exists(select(u.tracking_id).where(u.tracking_id == lead.utm_tracking_id, *utm)))
    if value.is_business_email is not None:
        clauses.append(lead.is_business_email.is_(value.is_business_email))
    if value.has_conversion is not None:
        c = models.OfflineConversion
        converted = exists(select(c.conversion_id).where(c.lead_id == lead.lead_id))
        clauses.append(converted if value.has_conversion else ~converted)
    if value.external_id is not None:
        clauses.append(lead.external_id == value.external_id)
    return clauses


def conversion_filters(value: OfflineConversionFilter | None) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    c = models.OfflineConversion
    clauses: list[ColumnElement[bool]] = []
    platform, state = value.platform, value.sync_status
    if platform is not None and state is not None:
        # The key inlined, not bound, so the expression index on (sync_status ->> 'google_ads') applies.
        key = literal(platform.value, String, literal_execute=True)
        clauses.append(c.sync_status[key].astext == state.value)
    elif platform is not None:
        clauses.append(c.sync_status.has_key(platform.value))
    elif state is not None:
        # One @> per platform so the GIN (jsonb_path_ops) index serves each branch.
        clauses.append(or_(*(c.sync_status.contains({p.value: state.value}) for p in Platform)))
    if value.conversion_name is not None:
        clauses.append(c.conversion_name == value.conversion_name)
    clauses += in_range(c.conversion_date, value.conversion_date)
    if value.lead_id is not None:
        clauses.append(c.lead_id == value.lead_id)
    return clauses


def lead_ordering(order: LeadOrder | None) -> Ordering:
    if order is None:
        return orderings.LEADS
    make = asc if order.direction is OrderDirection.ASC else desc
    column = getattr(models.Lead, order.field.value)
    return make(f"{order.field.value}_{order.direction.value}", column, models.Lead.lead_id)


def conversion_ordering(order: OfflineConversionOrder | None) -> Ordering:
    if order is None:
        return orderings.OFFLINE_CONVERSIONS
    c = models.OfflineConversion
    make = asc if order.direction is OrderDirection.ASC else desc
    column = getattr(c, order.field.value)
    return make(f"{order.field.value}_{order.direction.value}", column, c.conversion_id)


def one_lookup(lead_id: uuid.UUID | None, external_id: str | None, email: str | None) -> str:
    """The name of the one lookup argument given; an ArgumentError unless exactly one is."""
    given = [
        name for name, value in zip(LOOKUPS, (lead_id, external_id, email), strict=True) if value is not None
    ]
    if not given:
        raise ArgumentError("leadId", "or 'externalId' or 'email' is required: give exactly one")
    if len(given) > 1:
        raise ArgumentError(given[1], f"cannot be combined with '{given[0]}': give exactly one")
    return given[0]


@strawberry.type
class LeadQuery:
    @strawberry.field(
        description="One lead by leadId, or the most recent by externalId or by e-mail "
        "(matched by hash, whatever the case and surrounding spaces); null when none matches.",
        metadata=reads(
            RootLookups(
                (
                    Lookup(("leadId",), (models.Lead.lead_id,)),
                    Lookup(("externalId",), (models.Lead.external_id,), orderings.LEADS),
                    Lookup(("email",), (models.Lead.hashed_email,), orderings.LEADS, email_lookup_hash),
                )
            )
        ),
    )
    async def lead(
        self,
        info: Info,
        lead_id: uuid.UUID | None = None,
        external_id: str | None = None,
        email: str | None = None,
    ) -> Lead | None:
        given = one_lookup(lead_id, external_id, email)
        refuse_personal_lookup(info, "email", email)
        if given == "leadId":
            return await lookup(info, Lead, lead_id, models.Lead.lead_id)
        if given == "externalId":
            row = await first_row(info, models.Lead, (models.Lead.external_id,), external_id, orderings.LEADS)
        else:
            hashed = email_lookup_hash(email or "")
            row = await first_row(info, models.Lead, (models.Lead.hashed_email,), hashed, orderings.LEADS)
        return exposed(Lead, row)

    @strawberry.field(
        description="Leads matching a filter, latest first unless orderBy says otherwise.",
        metadata=reads(RootList(models.Lead, orderings.LEADS)),
    )
    async def leads(
        self,
        info: Info,
        filter: LeadFilter | None = None,
        order_by: LeadOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Lead]:
        page = await root_connection(
            info, models.Lead, lead_filters(filter), lead_ordering(order_by), first, after, last, before
        )
        return Connection(page=page)

    @strawberry.field(
        description="One offline conversion by id; null when none matches.",
        metadata=reads(RootLookups((Lookup(("conversionId",), (models.OfflineConversion.conversion_id,)),))),
    )
    async def offline_conversion(self, info: Info, conversion_id: uuid.UUID) -> OfflineConversion | None:
        return await lookup(info, OfflineConversion, conversion_id, models.OfflineConversion.conversion_id)

    @strawberry.field(
        description="Offline conversions matching a filter, latest sale first unless orderBy says otherwise.",
        metadata=reads(RootList(models.OfflineConversion, orderings.OFFLINE_CONVERSIONS)),
    )
    async def offline_conversions(
        self,
        info: Info,
        filter: OfflineConversionFilter | None = None,
        order_by: OfflineConversionOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[OfflineConversion]:
        page = await root_connection(
            info,
            models.OfflineConversion,
            conversion_filters(filter),
            conversion_ordering(order_by),
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)
