"""Leads, their CRM pipeline stages and integration logs."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.scalars import JSON

import models
from loaders.relation import ColumnRead, reads
from resolvers import orderings
from resolvers.context import Info
from resolvers.pages import children_page, first_row
from schema.node import Node, node_type
from schema.pagination import Connection
from schema.personal import personal
from schema.relations import lazy, relation, to_many, to_one
from schema.types.checkout import customer_of_email_hash
from schema.types.lead_metadata import LeadMetadata, lead_metadata

if TYPE_CHECKING:
    from schema.types.checkout import Customer, Transaction

__all__ = ["IntegrationLog", "Lead", "LeadMetadata", "LeadStage"]

CHECKOUT = "schema.types.checkout"
CONVERSIONS = "schema.types.conversions"
TRACKING = "schema.types.tracking"
HERE = "schema.types.leads"

STAGES = relation(
    models.LeadStage.lead_id, "lead_id", orderings.LEAD_STAGES, (("stageName", models.LeadStage.stage_name),)
)
CUSTOMER_TRANSACTIONS = relation(models.Transaction.customer_id, "id", orderings.TRANSACTIONS)


@node_type(models.Lead, models.Lead.lead_id, "A contact who filled in a form, with scoring and enrichment.")
class Lead(Node):
    lead_id: uuid.UUID = strawberry.field(description="The lead's id.")
    session_id: str = strawberry.field(description="The session in which the lead was captured.")
    utm_tracking_id: uuid.UUID | None = strawberry.field(description="The UTM capture it is attributed to.")
    page_id: uuid.UUID | None = strawberry.field(description="The landing page of the form.")
    external_id: str | None = strawberry.field(description="The CRM's id for this contact.")
    name: str | None = personal("Full name.")
    email: str | None = personal("E-mail address.")
    hashed_email: str | None = personal("SHA-256 hex of the trimmed lowercased e-mail.")
    company: str | None = strawberry.field(description="Company name.")
    phone: str | None = personal("Phone number.")
    hashed_phone: str | None = personal("SHA-256 hex of the E.164 digits.")
    is_business_email: bool = strawberry.field(description="Whether the e-mail is a corporate one.")
    email_domain: str | None = strawberry.field(description="Domain of the e-mail address.")
    lead_score: str | None = strawberry.field(description="Qualification grade, e.g. A.")
    time_to_conversion: int | None = strawberry.field(description="Seconds from first visit to lead.")
    created_at: dt.datetime = strawberry.field(description="When the lead was captured.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")

    @strawberry.field(description="LeadMetadata: scoring, qualification and enrichment.")
    def metadata(self, root: strawberry.Parent[models.Lead]) -> LeadMetadata:
        return lead_metadata(root.metadata_)

    @strawberry.field(
        description="The metadata object as stored.", metadata=reads(ColumnRead(models.Lead.metadata_))
    )
    def metadata_json(self, root: strawberry.Parent[models.Lead]) -> JSON:
        return cast(JSON, root.metadata_)

    session = to_one(models.Session.session_id, "session_id", lazy("Session", TRACKING), "The session.")
    utm_tracking = to_one(
        models.UtmTracking.tracking_id,
        "utm_tracking_id",
        lazy("UtmTracking", TRACKING),
        "The UTM capture the lead is attributed to.",
    )
    landing_page = to_one(
        models.LandingPage.page_id, "page_id", lazy("LandingPage", TRACKING), "The page of the form."
    )

    @strawberry.field(
        description="Pipeline stages, oldest first; stageName keeps one stage.", metadata=reads(STAGES)
    )
    async def stages(
        self,
        root: strawberry.Parent[models.Lead],
        info: Info,
        stage_name: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated["LeadStage", strawberry.lazy(HERE)]]:
        where = [] if stage_name is None else [models.LeadStage.stage_name == stage_name]
        page = await children_page(info, STAGES, root.lead_id, first, after, last, before, where, stage_name)
        return Connection(page=page)

    @strawberry.field(description="The latest stage (by createdAt); null when the lead has none.")
    async def current_stage(
        self, root: strawberry.Parent[models.Lead], info: Info
    ) -> Annotated["LeadStage", strawberry.lazy(HERE)] | None:
        stage = await first_row(
            info, models.LeadStage, (models.LeadStage.lead_id,), root.lead_id, orderings.LATEST_STAGE
        )
        return cast("LeadStage | None", stage)

    offline_conversions = to_many(
        models.OfflineConversion.lead_id,
        "lead_id",
        lazy("OfflineConversion", CONVERSIONS),
        orderings.OFFLINE_CONVERSIONS,
        "Sales of this lead reported to the ad platforms, latest first.",
    )
    integration_logs = to_many(
        models.IntegrationLog.lead_id,
        "lead_id",
        lazy("IntegrationLog", HERE),
        orderings.INTEGRATION_LOGS,
        "Deliveries of this lead to CRMs, webhooks and others, latest first.",
    )

    @strawberry.field(description="The checkout customer with the same e-mail; null when none bought.")
    async def customer(
        self, root: strawberry.Parent[models.Lead], info: Info
    ) -> Annotated["Customer", strawberry.lazy(CHECKOUT)] | None:
        return cast("Customer | None", await customer_of_email_hash(info, root.hashed_email))

    @strawberry.field(description="Purchases of the customer with the same e-mail, latest first.")
    async def transactions(
        self,
        root: strawberry.Parent[models.Lead],
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated["Transaction", strawberry.lazy(CHECKOUT)]]:
        customer = await customer_of_email_hash(info, root.hashed_email)
        key = None if customer is None else customer.id
        page = await children_page(info, CUSTOMER_TRANSACTIONS, key, first, after, last, before)
        return Connection(page=page)


@node_type(models.LeadStage, models.LeadStage.stage_id, "One step of a lead in the sales pipeline.")
class LeadStage(Node):
    stage_id: uuid.UUID = strawberry.field(description="The stage's id.")
    lead_id: uuid.UUID = strawberry.field(description="The lead.")
    stage_name: str = strawberry.field(description="Stage: new, qualified, proposal, negotiation, won, lost.")
    stage_value: Decimal | None = strawberry.field(description="Deal value at this stage.")
    probability: int | None = strawberry.field(description="Chance of winning, in percent.")
    changed_by: str | None = personal("Who moved the lead: a user's e-mail or 'system'.")
    reason: str | None = strawberry.field(description="Why the lead moved.")
    created_at: dt.datetime = strawberry.field(description="When the lead entered this stage.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")

    lead = to_one(models.Lead.lead_id, "lead_id", lazy("Lead", HERE), "The lead.")


@node_type(
    models.IntegrationLog, models.IntegrationLog.log_id, "One delivery of a lead to a CRM, webhook or tool."
)
class IntegrationLog(Node):
    log_id: uuid.UUID = strawberry.field(description="The log's id.")
    lead_id: uuid.UUID = strawberry.field(description="The lead delivered.")
    integration_type: str = strawberry.field(description="Target kind: crm, webhook, email or analytics.")
    integration_name: str = strawberry.field(description="The target, e.g. salesforce.")
    status: str = strawberry.field(description="Where the call stands: pending, success or failed.")
    request_data: JSON | None = personal("What was sent.")
    response_data: JSON | None = personal("What came back.")
    error_message: str | None = strawberry.field(description="Why the delivery failed.")
    retry_count: int = strawberry.field(description="Retries so far.")
    processed_at: dt.datetime | None = strawberry.field(description="When the delivery finished.")
    created_at: dt.datetime = strawberry.field(description="When the delivery was queued.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")

    lead = to_one(models.Lead.lead_id, "lead_id", lazy("Lead", HERE), "The lead.")
