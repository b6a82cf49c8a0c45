"""Doc 002's marketing reports over the UTM history of purchases."""

import datetime as dt
from decimal import Decimal

import strawberry

from resolvers.analytics.checkout_marketing import (
    ad_variants,
    affiliate_correlation,
    source_medium_roi,
    touch_journeys,
)
from resolvers.analytics.statement import ReportQuery
from resolvers.context import Info
from schema.analytics.inputs import ReportPeriod, over_period, period_of
from schema.analytics.report import Report, answer, compiled
from schema.personal import personal


@strawberry.type(description="Purchases of one UTM source and medium, their revenue and the ROI on spend.")
class SourceMediumRoi:
    utm_source: str | None
    utm_medium: str | None
    transactions: int
    total_revenue: Decimal
    avg_order_value: Decimal
    cost: Decimal | None = strawberry.field(
        description="Spend of this source and medium in marketing_costs on the period's days."
    )
    roi: Decimal | None = strawberry.field(description="Revenue per unit of cost; null without cost.")


@strawberry.type(description="One ad variant (utm_content) of a campaign and the purchases it brought.")
class AdVariant:
    utm_campaign: str | None
    utm_content: str | None
    conversions: int = strawberry.field(description="Purchases.")
    revenue: Decimal
    unique_customers: int


@strawberry.type(description="A customer who bought after several UTM touches: the first and the last.")
class TouchJourney:
    customer_id: int
    email: str | None = personal("The customer's e-mail.")
    first_source: str | None
    first_medium: str | None
    first_campaign: str | None
    conversion_source: str | None = strawberry.field(description="UTM source of the latest purchase.")
    conversion_medium: str | None
    conversion_campaign: str | None
    conversion_date: dt.datetime = strawberry.field(description="When the latest purchase was ordered.")
    touches: int = strawberry.field(description="UTM touches recorded on the customer's purchases.")


@strawberry.type(description="Purchases by the platform's tracking source (affiliate code) and UTM source.")
class AffiliateCorrelation:
    tracking_source: str | None
    utm_source: str | None
    transaction_count: int
    total_revenue: Decimal
    total_commission: Decimal | None = strawberry.field(description="Affiliate commissions; null without.")


def source_medium_roi_report(
    period: ReportPeriod | None = None, utm_campaign: str | None = None
) -> ReportQuery:
    span = period_of(period)
    return ReportQuery(source_medium_roi(span, utm_campaign), span)


def ad_variants_report(utm_campaign: str | None = None, period: ReportPeriod | None = None) -> ReportQuery:
    span = period_of(period)
    return ReportQuery(ad_variants(span, utm_campaign), span)


touch_journeys_report = over_period(touch_journeys)

affiliate_correlation_report = over_period(affiliate_correlation)


@strawberry.type
class MarketingReports:
    @strawberry.field(
        description="Doc 002: purchases ordered in the period per UTM source and medium, revenue, average "
        "order, and ROI against that source and medium's spend on the same days. Most revenue first.",
        metadata=compiled(source_medium_roi_report),
    )
    async def source_medium_roi(
        self, info: Info, period: ReportPeriod | None = None, utm_campaign: str | None = None
    ) -> Report[SourceMediumRoi]:
        return await answer(info, source_medium_roi_report(period, utm_campaign))

    @strawberry.field(
        description="Doc 002: purchases per ad variant (utm_content) of a campaign (every campaign when "
        "omitted), ordered in the period. Most revenue first.",
        metadata=compiled(ad_variants_report),
    )
    async def ad_variants(
        self, info: Info, utm_campaign: str | None = None, period: ReportPeriod | None = None
    ) -> Report[AdVariant]:
        return await answer(info, ad_variants_report(utm_campaign, period))

    @strawberry.field(
        description="Doc 002: customers whose purchases carry more than one UTM touch, with the first touch "
        "and the latest purchase's; latest purchases in the period, most recent first.",
        metadata=compiled(touch_journeys_report),
    )
    async def touch_journeys(self, info: Info, period: ReportPeriod | None = None) -> Report[TouchJourney]:
        return await answer(info, touch_journeys_report(period))

    @strawberry.field(
        description="Doc 002: purchases ordered in the period by tracking source (affiliate) and UTM source, "
        "with revenue and affiliate commissions. Most purchases first.",
        metadata=compiled(affiliate_correlation_report),
    )
    async def affiliate_correlation(
        self, info: Info, period: ReportPeriod | None = None
    ) -> Report[AffiliateCorrelation]:
        return await answer(info, affiliate_correlation_report(period))
