"""Root fields for what Rastro sends out: conversion deliveries, their attempts, CRM webhook logs."""

import uuid

import strawberry
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import InstrumentedAttribute

import models
from loaders.relation import RootList, reads
from models.enums import DeliveryStatus, OutboxKind, Platform
from resolvers import orderings
from resolvers.context import Info
from resolvers.pages import root_connection
from schema.inputs import DateTimeRange, in_range
from schema.pagination import Connection
from schema.types.conversions import PlatformSyncLog, SyncState
from schema.types.deliveries import ConversionDelivery
from schema.types.leads import IntegrationLog


@strawberry.input(description="Which deliveries: every given condition must hold.")
class ConversionDeliveryFilter:
    status: DeliveryStatus | None = strawberry.field(default=None, description="In this state.")
    platform: Platform | None = strawberry.field(default=None, description="To this ad platform.")
    kind: OutboxKind | None = strawberry.field(default=None, description="Conversions or retractions.")
    domain_id: uuid.UUID | None = strawberry.field(
        default=None, description="Of conversions of leads captured on this domain."
    )
    conversion_id: uuid.UUID | None = strawberry.field(default=None, description="Of this conversion.")
    created: DateTimeRange | None = strawberry.field(default=None, description="Queued in this range.")


@strawberry.input(description="Which delivery attempts: every given condition must hold.")
class PlatformSyncLogFilter:
    platform: Platform | None = strawberry.field(default=None, description="To this ad platform.")
    sync_status: SyncState | None = strawberry.field(
        default=None, description="With this outcome: PENDING, SUCCESS or FAILED."
    )
    conversion_id: uuid.UUID | None = strawberry.field(default=None, description="Of this conversion.")
    domain_id: uuid.UUID | None = strawberry.field(
        default=None, description="Of conversions of leads captured on this domain."
    )
    created: DateTimeRange | None = strawberry.field(default=None, description="Made in this range.")


@strawberry.input(description="Which lead deliveries to CRMs and webhooks: every given condition must hold.")
class IntegrationLogFilter:
    status: str | None = strawberry.field(default=None, description="pending, success or failed.")
    integration_type: str | None = strawberry.field(
        default=None, description="crm, webhook, email or analytics."
    )
    lead_id: uuid.UUID | None = strawberry.field(default=None, description="Of this lead.")
    domain_id: uuid.UUID | None = strawberry.field(
        default=None, description="Of leads captured on this domain."
    )
    created: DateTimeRange | None = strawberry.field(default=None, description="Queued in this range.")


def lead_on_domain(lead_id: InstrumentedAttribute[uuid.UUID], domain_id: uuid.UUID) -> ColumnElement[bool]:
    lead, s = models.Lead, models.Session
    return exists(
        select(lead.lead_id)
        .join(s, s.session_id == lead.session_id)
        .where(lead.lead_id == lead_id, s.domain_id == domain_id)
    )


def conversion_on_domain(
    conversion_id: InstrumentedAttribute[uuid.UUID], domain_id: uuid.UUID
) -> ColumnElement[bool]:
    c = models.OfflineConversion
    return exists(
        select(c.conversion_id).where(c.conversion_id == conversion_id, lead_on_domain(c.lead_id, domain_id))
    )


def delivery_filters(value: ConversionDeliveryFilter | None) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    o = models.ConversionOutbox
    given = ((o.status, value.status), (o.platform, value.platform), (o.kind, value.kind))
    clauses = [column == wanted.value for column, wanted in given if wanted is not None]
    if value.conversion_id is not None:
        clauses.append(o.conversion_id == value.conversion_id)
    if value.domain_id is not None:
        clauses.append(conversion_on_domain(o.conversion_id, value.domain_id))
    return clauses + in_range(o.created_at, value.created)


def sync_log_filters(value: PlatformSyncLogFilter | None) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    log = models.PlatformSyncLog
    given = ((log.platform, value.platform), (log.sync_status, value.sync_status))
    clauses = [column == wanted.value for column, wanted in given if wanted is not None]
    if value.conversion_id is not None:
        clauses.append(log.conversion_id == value.conversion_id)
    if value.domain_id is not None:
        clauses.append(conversion_on_domain(log.conversion_id, value.domain_id))
    return clauses + in_range(log.created_at, value.created)


def integration_log_filters(value: IntegrationLogFilter | None) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    log = models.IntegrationLog
    given = ((log.status, value.status), (log.integration_type, value.integration_type))
    clauses = [column == wanted for column, wanted in given if wanted is not None]
    if value.lead_id is not None:
        clauses.append(log.lead_id == value.lead_id)
    if value.domain_id is not None:
        clauses.append(lead_on_domain(log.lead_id, value.domain_id))
    return clauses + in_range(log.created_at, value.created)


@strawberry.type
class DeliveryQuery:
    @strawberry.field(
        description="Deliveries of conversions (and retractions) to the ad platforms, latest queued first.",
        metadata=reads(RootList(models.ConversionOutbox, orderings.DELIVERIES)),
    )
    async def conversion_deliveries(
        self,
        info: Info,
        filter: ConversionDeliveryFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ConversionDelivery]:
        page = await root_connection(
            info,
            models.ConversionOutbox,
            delivery_filters(filter),
            orderings.DELIVERIES,
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)

    @strawberry.field(
        description="Every request made to the ad platforms, latest first.",
        metadata=reads(RootList(models.PlatformSyncLog, orderings.LATEST_SYNC_LOGS)),
    )
    async def platform_sync_logs(
        self,
        info: Info,
        filter: PlatformSyncLogFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PlatformSyncLog]:
        page = await root_connection(
            info,
            models.PlatformSyncLog,
            sync_log_filters(filter),
            orderings.LATEST_SYNC_LOGS,
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)

    @strawberry.field(
        description="Deliveries of leads to CRMs and webhooks, latest queued first.",
        metadata=reads(RootList(models.IntegrationLog, orderings.INTEGRATION_LOGS)),
    )
    async def integration_logs(
        self,
        info: Info,
        filter: IntegrationLogFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[IntegrationLog]:
        page = await root_connection(
            info,
            models.IntegrationLog,
            integration_log_filters(filter),
            orderings.INTEGRATION_LOGS,
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)
