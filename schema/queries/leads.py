"""Root fields for leads and offline conversions."""

import enum
import json
import uuid
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, String, exists, literal, literal_column, or_, select

import models
from loaders.keyset import Ordering
from loaders.relation import Lookup, RootList, RootLookups, reads
from models.enums import Platform
from resolvers import orderings
from resolvers.context import Info
from resolvers.errors import ArgumentError
from resolvers.filters import Column, FilterSpec, Via, ordering
from resolvers.pages import first_row, root_connection
from resolvers.personal_data import email_lookup_hash
from schema.filters import (
    BooleanFilter,
    DateTimeFilter,
    DecimalFilter,
    IntFilter,
    SearchableStringFilter,
    StringFilter,
    UUIDFilter,
    root_filter,
)
from schema.inputs import OrderDirection
from schema.node import exposed, lookup
from schema.pagination import Connection
from schema.personal import refuse_personal_lookup
from schema.types.conversions import OfflineConversion, SyncState
from schema.types.leads import Lead

LOOKUPS = ("leadId", "externalId", "email")


@root_filter("Which leads: every given condition must hold.")
class LeadFilter:
    lead_id: UUIDFilter | None = strawberry.field(default=None, description="The lead's id.")
    domain_id: UUIDFilter | None = strawberry.field(default=None, description="Captured on this domain.")
    current_stage: StringFilter | None = strawberry.field(
        default=None, description="Name of the latest stage."
    )
    score: StringFilter | None = strawberry.field(default=None, description="The lead score, e.g. A.")
    created: DateTimeFilter | None = strawberry.field(default=None, description="When it was captured.")
    time_to_conversion: IntFilter | None = strawberry.field(
        default=None, description="Seconds from the first visit to the capture."
    )
    utm_source: StringFilter | None = strawberry.field(default=None, description="Attributed utm_source.")
    utm_medium: StringFilter | None = strawberry.field(default=None, description="Attributed utm_medium.")
    utm_campaign: SearchableStringFilter | None = strawberry.field(
        default=None, description="Attributed utm_campaign."
    )
    is_business_email: BooleanFilter | None = strawberry.field(default=None, description="Corporate e-mail.")
    has_conversion: bool | None = strawberry.field(default=None, description="Has an offline conversion.")
    external_id: StringFilter | None = strawberry.field(default=None, description="The CRM id.")


@strawberry.enum(description="What leads are sorted by (ties broken by lead id).")
class LeadOrderField(enum.Enum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(description="Sort order of leads.")
class LeadOrder:
    field: LeadOrderField = strawberry.field(default=LeadOrderField.CREATED_AT, description="Sort key.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Direction.")


@root_filter("Which offline conversions: every given condition must hold.")
class OfflineConversionFilter:
    platform: Platform | None = strawberry.field(
        default=None, description="Known to this platform (in this syncStatus when given)."
    )
    sync_status: SyncState | None = strawberry.field(
        default=None, description="In this state on `platform`, or on any platform when none is given."
    )
    conversion_name: StringFilter | None = strawberry.field(
        default=None, description="The conversion action."
    )
    conversion_date: DateTimeFilter | None = strawberry.field(
        default=None, description="When the sale closed."
    )
    conversion_value: DecimalFilter | None = strawberry.field(default=None, description="The sale's value.")
    lead_id: UUIDFilter | None = strawberry.field(default=None, description="The lead's id.")


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


def _utm_of_lead(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    u = models.UtmTracking
    return exists(select(u.tracking_id).where(u.tracking_id == models.Lead.utm_tracking_id, *conditions))


def _session_of_lead(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    s = models.Session
    return exists(select(s.session_id).where(s.session_id == models.Lead.session_id, *conditions))


def _has_conversion(wanted: bool, _where: str) -> ColumnElement[bool]:
    c = models.OfflineConversion
    converted = exists(select(c.conversion_id).where(c.lead_id == models.Lead.lead_id))
    return converted if wanted else ~converted


UTM_OF_LEAD = Via(_utm_of_lead)
LEADS = FilterSpec(
    {
        "lead_id": Column(models.Lead.lead_id),
        "domain_id": Column(models.Session.domain_id, Via(_session_of_lead)),
        "current_stage": Column(latest_stage_name()),
        "score": Column(models.Lead.lead_score),
        "created": Column(models.Lead.created_at),
        "time_to_conversion": Column(models.Lead.time_to_conversion),
        "utm_source": Column(models.UtmTracking.utm_source, UTM_OF_LEAD),
        "utm_medium": Column(models.UtmTracking.utm_medium, UTM_OF_LEAD),
        "utm_campaign": Column(models.UtmTracking.utm_campaign, UTM_OF_LEAD),
        "is_business_email": Column(models.Lead.is_business_email),
        "has_conversion": _has_conversion,
        "external_id": Column(models.Lead.external_id),
    }
)


def _json_literal(value: dict[str, str]) -> ColumnElement[Any]:
    # Inlined (enum names only): both read paths then send the same statement, with no JSON parameter.
    return literal_column("'" + json.dumps(value).replace("'", "''") + "'::jsonb")


def _sync_state(value: OfflineConversionFilter) -> list[ColumnElement[bool]]:
    c = models.OfflineConversion
    platform, state = value.platform, value.sync_status
    if platform is not None and state is not None:
        # The key inlined, not bound, so the expression index on (sync_status ->> 'google_ads') applies.
        key = literal(platform.value, String, literal_execute=True)
        return [c.sync_status[key].astext == state.value]
    if platform is not None:
        return [c.sync_status.has_key(platform.value)]
    if state is not None:
        # One @> per platform so the GIN (jsonb_path_ops) index serves each branch.
        return [or_(*(c.sync_status.op("@>")(_json_literal({p.value: state.value})) for p in Platform))]
    return []


CONVERSIONS = FilterSpec(
    {
        "conversion_name": Column(models.OfflineConversion.conversion_name),
        "conversion_date": Column(models.OfflineConversion.conversion_date),
        "conversion_value": Column(models.OfflineConversion.conversion_value),
        "lead_id": Column(models.OfflineConversion.lead_id),
    },
    _sync_state,
)


def lead_ordering(keys: list[LeadOrder] | None) -> Ordering:
    return ordering(models.Lead, orderings.LEADS, keys)


def conversion_ordering(keys: list[OfflineConversionOrder] | None) -> Ordering:
    return ordering(models.OfflineConversion, orderings.OFFLINE_CONVERSIONS, keys)


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
        metadata=reads(RootList(models.Lead, orderings.LEADS, where=LEADS.where, order=lead_ordering)),
    )
    async def leads(
        self,
        info: Info,
        filter: LeadFilter | None = None,
        order_by: list[LeadOrder] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Lead]:
        page = await root_connection(
            info, models.Lead, LEADS.where(filter), lead_ordering(order_by), first, after, last, before
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
        metadata=reads(
            RootList(
                models.OfflineConversion,
                orderings.OFFLINE_CONVERSIONS,
                where=CONVERSIONS.where,
                order=conversion_ordering,
            )
        ),
    )
    async def offline_conversions(
        self,
        info: Info,
        filter: OfflineConversionFilter | None = None,
        order_by: list[OfflineConversionOrder] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[OfflineConversion]:
        page = await root_connection(
            info,
            models.OfflineConversion,
            CONVERSIONS.where(filter),
            conversion_ordering(order_by),
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)
