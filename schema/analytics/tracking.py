"""Reports of doc 000 ("Queries de Exemplo"): campaigns, landing-page funnel, visitor types, channel ROI."""

import enum
import uuid
from decimal import Decimal

import strawberry

from resolvers.analytics.campaign_performance import campaign_performance
from resolvers.analytics.channel_roi import channel_roi
from resolvers.analytics.landing_page_funnel import funnel_view, landing_page_funnel
from resolvers.analytics.materialized import CAPTURE_OUTCOMES, CHANNEL_SESSIONS
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import ReportQuery
from resolvers.analytics.visitor_types import visitor_types
from resolvers.context import Info
from schema.analytics.inputs import ReportPeriod, period_of
from schema.analytics.report import Live, Report, answer, compiled

DOMAIN = "The domain to report on; every domain when omitted."


@strawberry.type(description="One UTM campaign, source and medium: sessions, leads, offline sales.")
class CampaignPerformance:
    utm_campaign: str | None
    utm_source: str | None
    utm_medium: str | None
    total_sessions: int = strawberry.field(description="Sessions with this UTM capture.")
    total_leads: int = strawberry.field(description="Leads attributed to these captures.")
    total_sales: int = strawberry.field(description="Offline conversions of those leads.")
    total_revenue: Decimal | None = strawberry.field(description="Their value; null without sales.")
    avg_time_to_conversion: Decimal | None = strawberry.field(
        description="Average seconds from first visit to lead."
    )


@strawberry.type(description="One landing page (name and variant): each step of the funnel and its rate.")
class LandingPageFunnel:
    page_name: str | None
    page_variant: str | None
    visitors: int = strawberry.field(description="Sessions that viewed the page.")
    form_starts: int = strawberry.field(description="Of those, sessions that started its form.")
    leads: int = strawberry.field(description="Leads captured on the page.")
    qualified_leads: int = strawberry.field(description="Leads that reached the qualified stage.")
    won_deals: int = strawberry.field(description="Leads that reached the won stage.")
    sale_value: Decimal = strawberry.field(description="Value of the offline sales of those leads.")
    form_start_rate: Decimal | None = strawberry.field(description="% of visitors who started the form.")
    form_completion_rate: Decimal | None = strawberry.field(description="Leads per 100 form starts.")
    qualification_rate: Decimal | None = strawberry.field(description="% of leads qualified.")
    close_rate: Decimal | None = strawberry.field(description="Won deals per 100 qualified leads.")


@strawberry.enum(description="Visitors by number of sessions: 1, 2-3, 4 or more.")
class VisitorType(enum.Enum):
    NEW = "NEW"
    RETURNING = "RETURNING"
    FREQUENT = "FREQUENT"


@strawberry.type(description="New, returning or frequent visitors of a domain and how they convert.")
class VisitorSegment:
    visitor_type: VisitorType
    total_visitors: int
    avg_page_views: Decimal = strawberry.field(description="Average page views per visitor.")
    total_conversions: int = strawberry.field(description="Visitors who converted.")
    conversion_rate: Decimal = strawberry.field(description="% of visitors who converted.")


@strawberry.type(description="One channel (UTM source and medium): traffic, offline sales, real spend, ROI.")
class ChannelRoi:
    channel: str = strawberry.field(description="The UTM source, 'direct' when the capture has none.")
    utm_source: str | None
    utm_medium: str | None
    sessions: int
    leads: int
    sales: int
    revenue: Decimal = strawberry.field(description="Value of the offline sales.")
    cost: Decimal | None = strawberry.field(
        description="Spend in marketing_costs for this source and medium on the period's days; null when "
        "a domain is given (costs are not recorded per domain)."
    )
    profit: Decimal | None = strawberry.field(description="Revenue minus cost.")
    roi_percentage: Decimal | None = strawberry.field(
        description="Profit per 100 of cost; null without cost."
    )


def campaign_performance_report(
    domain_id: uuid.UUID | None = None,
    period: ReportPeriod | None = None,
    utm_source: str | None = None,
    utm_medium: str | None = None,
    live: bool = False,
) -> ReportQuery:
    scope = Scope(domain_id, period_of(period))
    query = campaign_performance(scope, utm_source, utm_medium, live)
    return ReportQuery(query, scope.period, [CAPTURE_OUTCOMES], live)


def landing_page_funnel_report(
    domain_id: uuid.UUID | None = None, period: ReportPeriod | None = None, live: bool = False
) -> ReportQuery:
    scope = Scope(domain_id, period_of(period))
    return ReportQuery(landing_page_funnel(scope, live), scope.period, [funnel_view(scope)], live)


def visitor_types_report(
    domain_id: uuid.UUID | None = None, period: ReportPeriod | None = None
) -> ReportQuery:
    scope = Scope(domain_id, period_of(period))
    return ReportQuery(visitor_types(scope), scope.period)


def channel_roi_report(
    domain_id: uuid.UUID | None = None, period: ReportPeriod | None = None, live: bool = False
) -> ReportQuery:
    scope = Scope(domain_id, period_of(period))
    return ReportQuery(channel_roi(scope, live), scope.period, [CHANNEL_SESSIONS], live)


@strawberry.type
class TrackingReports:
    @strawberry.field(
        description="Doc 000 #1: sessions, leads, offline sales and revenue per UTM campaign, source and "
        "medium, for the UTM captures made in the period. Most revenue first.",
        metadata=compiled(campaign_performance_report),
    )
    async def campaign_performance(
        self,
        info: Info,
        domain_id: uuid.UUID | None = None,
        period: ReportPeriod | None = None,
        utm_source: str | None = None,
        utm_medium: str | None = None,
        live: Live = False,
    ) -> Report[CampaignPerformance]:
        report = campaign_performance_report(domain_id, period, utm_source, utm_medium, live)
        return await answer(info, report)

    @strawberry.field(
        description="Doc 000 #2: the funnel of each active landing page (pages of the same name and variant "
        "together): page views in the period, form starts, leads created in the period, qualified, won "
        "and their sale value. Most visitors first.",
        metadata=compiled(landing_page_funnel_report),
    )
    async def landing_page_funnel(
        self,
        info: Info,
        domain_id: uuid.UUID | None = None,
        period: ReportPeriod | None = None,
        live: Live = False,
    ) -> Report[LandingPageFunnel]:
        return await answer(info, landing_page_funnel_report(domain_id, period, live))

    @strawberry.field(
        description="Doc 000 #3: visitors by number of sessions (new: 1, returning: 2-3, frequent: 4+), "
        "among visitors whose journey overlaps the period. Most visitors first.",
        metadata=compiled(visitor_types_report),
    )
    async def visitor_types(
        self, info: Info, domain_id: uuid.UUID | None = None, period: ReportPeriod | None = None
    ) -> Report[VisitorSegment]:
        return await answer(info, visitor_types_report(domain_id, period))

    @strawberry.field(
        description="Doc 000 #4: per UTM source and medium of the sessions created in the period: leads, "
        "offline sales, revenue, the real spend of marketing_costs on those days, profit and ROI. Most "
        "profit first.",
        metadata=compiled(channel_roi_report),
    )
    async def channel_roi(
        self,
        info: Info,
        domain_id: uuid.UUID | None = None,
        period: ReportPeriod | None = None,
        live: Live = False,
    ) -> Report[ChannelRoi]:
        return await answer(info, channel_roi_report(domain_id, period, live))
