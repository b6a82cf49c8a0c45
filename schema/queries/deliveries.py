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
from resolvers.filters import Column, FilterSpec, Via
from resolvers.pages import root_connection
from schema.filters import (
    DateTimeFilter,
    EnumFilter,
    IntFilter,
    SearchableStringFilter,
    StringFilter,
    UUIDFilter,
    root_filter,
)
from schema.pagination import Connection
from schema.types.conversions import PlatformSyncLog, SyncState
from schema.types.deliveries import ConversionDelivery
from schema.types.leads import IntegrationLog

DOMAIN = "Of conversions of leads captured on this domain."


@root_filter("Which deliveries: every given condition must hold.")
class ConversionDeliveryFilter:
    status: EnumFilter[DeliveryStatus] | None = strawberry.field(default=None, description="In this state.")
    platform: EnumFilter[Platform] | None = strawberry.field(default=None, description="To this ad platform.")
    kind: EnumFilter[OutboxKind] | None = strawberry.field(
        default=None, description="Conversions or retractions."
    )
    domain_id: UUIDFilter | None = strawberry.field(default=None, description=DOMAIN)
    conversion_id: UUIDFilter | None = strawberry.field(default=None, description="Of this conversion.")
    attempts: IntFilter | None = strawberry.field(default=None, description="Attempts made so far.")
    created: DateTimeFilter | None = strawberry.field(default=None, description="When it was queued.")


@root_filter("Which delivery attempts: every given condition must hold.")
class PlatformSyncLogFilter:
    platform: EnumFilter[Platform] | None = strawberry.field(default=None, description="To this ad platform.")
    sync_status: EnumFilter[SyncState] | None = strawberry.field(
        default=None, description="With this outcome: PENDING, SUCCESS or FAILED."
    )
    conversion_id: UUIDFilter | None = strawberry.field(default=None, description="Of this conversion.")
    domain_id: UUIDFilter | None = strawberry.field(default=None, description=DOMAIN)
    http_status_code: IntFilter | None = strawberry.field(
        default=None, description="The platform's HTTP answer; null when none came."
    )
    created: DateTimeFilter | None = strawberry.field(default=None, description="When it was made.")


@root_filter("Which lead deliveries to CRMs and webhooks: every given condition must hold.")
class IntegrationLogFilter:
    status: StringFilter | None = strawberry.field(default=None, description="pending, success or failed.")
    integration_type: StringFilter | None = strawberry.field(
        default=None, description="crm, webhook, email or analytics."
    )
    integration_name: StringFilter | None = strawberry.field(default=None, description="The CRM's name.")
    lead_id: UUIDFilter | None = strawberry.field(default=None, description="Of this lead.")
    domain_id: UUIDFilter | None = strawberry.field(
        default=None, description="Of leads captured on this domain."
    )
    error_message: SearchableStringFilter | None = strawberry.field(
        default=None, description="The last failure's message."
    )
    created: DateTimeFilter | None = strawberry.field(default=None, description="When it was queued.")


def _lead_on_domain(lead_id: InstrumentedAttribute[uuid.UUID]) -> Via:
    """Conditions on the session that captured the lead `lead_id` (its domain)."""
    lead, s = models.Lead, models.Session

    def link(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
        captured = select(lead.lead_id).join(s, s.session_id == lead.session_id)
        return exists(captured.where(lead.lead_id == lead_id, *conditions))

    return Via(link)


def _conversion_on_domain(conversion_id: InstrumentedAttribute[uuid.UUID]) -> Via:
    """Conditions on the session that captured the lead of the conversion `conversion_id`."""
    c, lead = models.OfflineConversion, _lead_on_domain(models.OfflineConversion.lead_id)

    def link(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
        return exists(select(c.conversion_id).where(c.conversion_id == conversion_id, lead.link(conditions)))

    return Via(link)


OUTBOX, SYNC_LOG, INTEGRATION_LOG = models.ConversionOutbox, models.PlatformSyncLog, models.IntegrationLog
DELIVERIES = FilterSpec(
    {
        "status": Column(OUTBOX.status),
        "platform": Column(OUTBOX.platform),
        "kind": Column(OUTBOX.kind),
        "domain_id": Column(models.Session.domain_id, _conversion_on_domain(OUTBOX.conversion_id)),
        "conversion_id": Column(OUTBOX.conversion_id),
        "attempts": Column(OUTBOX.attempts),
        "created": Column(OUTBOX.created_at),
    }
)
SYNC_LOGS = FilterSpec(
    {
        "platform": Column(SYNC_LOG.platform),
        "sync_status": Column(SYNC_LOG.sync_status),
        "conversion_id": Column(SYNC_LOG.conversion_id),
        "domain_id": Column(models.Session.domain_id, _conversion_on_domain(SYNC_LOG.conversion_id)),
        "http_status_code": Column(SYNC_LOG.http_status_code),
        "created": Column(SYNC_LOG.created_at),
    }
)
INTEGRATION_LOGS = FilterSpec(
    {
        "status": Column(INTEGRATION_LOG.status),
        "integration_type": Column(INTEGRATION_LOG.integration_type),
        "integration_name": Column(INTEGRATION_LOG.integration_name),
        "lead_id": Column(INTEGRATION_LOG.lead_id),
        "domain_id": Column(models.Session.domain_id, _lead_on_domain(INTEGRATION_LOG.lead_id)),
        "error_message": Column(INTEGRATION_LOG.error_message),
        "created": Column(INTEGRATION_LOG.created_at),
    }
)


@strawberry.type
class DeliveryQuery:
    @strawberry.field(
        description="Deliveries of conversions (and retractions) to the ad platforms, latest queued first.",
        metadata=reads(RootList(models.ConversionOutbox, orderings.DELIVERIES, where=DELIVERIES.where)),
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
            DELIVERIES.where(filter),
            orderings.DELIVERIES,
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)

    @strawberry.field(
        description="Every request made to the ad platforms, latest first.",
        metadata=reads(RootList(models.PlatformSyncLog, orderings.LATEST_SYNC_LOGS, where=SYNC_LOGS.where)),
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
            SYNC_LOGS.where(filter),
            orderings.LATEST_SYNC_LOGS,
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)

    @strawberry.field(
        description="Deliveries of leads to CRMs and webhooks, latest queued first.",
        metadata=reads(
            RootList(models.IntegrationLog, orderings.INTEGRATION_LOGS, where=INTEGRATION_LOGS.where)
        ),
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
            INTEGRATION_LOGS.where(filter),
            orderings.INTEGRATION_LOGS,
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)
