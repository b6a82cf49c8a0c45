"""Attribution models in GraphQL: one model's credits per group, or every model side by side."""

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

import strawberry

from resolvers.analytics.attribution import (
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_LOOKBACK_DAYS,
    AttributionGroup,
    AttributionModel,
    ConversionKind,
    Window,
    attribution,
)
from resolvers.analytics.materialized import CONVERSION_TOUCHES
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import run
from resolvers.context import Info
from schema.analytics.inputs import ReportPeriod, period_of
from schema.analytics.report import Live, data_age

strawberry.enum(
    AttributionModel,
    name="AttributionModel",
    description="How a conversion's value is shared among its touchpoints: all to the first, all to the "
    "last, all to the last with a UTM source (the last direct one when none has), equally, by time decay "
    "(halving every `halfLifeDays` before the conversion), or 40% first, 40% last and 20% shared by the "
    "rest.",
)
strawberry.enum(
    AttributionGroup,
    name="AttributionGroupBy",
    description="What credits are grouped by: a UTM value of the touch, or its landing page.",
)
strawberry.enum(
    ConversionKind,
    name="ConversionKind",
    description="Offline conversions (through their lead) and approved checkout purchases (through the leads "
    "sharing the buyer's e-mail hash).",
)

GROUP_KEY = (
    "The UTM value (or landing page id) grouped by; null for direct touches (sessions without a UTM capture) "
    "and captures without that value."
)
ALL_KINDS = [ConversionKind.OFFLINE, ConversionKind.CHECKOUT]


@strawberry.type(description="What one model credits to a group.")
class Credit:
    conversions: float = strawberry.field(description="Conversions credited (fractions for shared models).")
    revenue: Decimal = strawberry.field(description="Conversion value credited.")


@strawberry.type(description="A group of touches: its key, and its landing page when grouped by one.")
class TouchGroup:
    key: str | None = strawberry.field(description=GROUP_KEY)
    page_url: str | None = strawberry.field(description="The landing page's URL, grouping by landing page.")
    page_name: str | None
    page_variant: str | None


@strawberry.type(description="One group and what the model credits to it.")
class AttributionRow(TouchGroup, Credit):
    pass


@strawberry.type(description="One group and what each model credits to it.")
class ModelComparisonRow(TouchGroup):
    first_touch: Credit
    last_touch: Credit
    last_non_direct: Credit
    linear: Credit
    time_decay: Credit
    position_based: Credit


@strawberry.type(
    description="Conversions in the period and how the attributed ones are credited. Credited conversions "
    "and revenue of the rows add up to `attributedConversions` and `attributedRevenue`."
)
class AttributionTotals:
    conversions: int = strawberry.field(description="Conversions in the period.")
    revenue: Decimal = strawberry.field(description="Their value.")
    attributed_conversions: int = strawberry.field(
        description="Conversions with at least one touchpoint in the lookback window."
    )
    attributed_revenue: Decimal = strawberry.field(description="Their value: what the rows share.")
    lookback_days: int
    half_life_days: float
    data_as_of: dt.datetime = strawberry.field(description="When the data was read.")
    materialized: bool = strawberry.field(description="True when served from a materialized view.")
    time_zone: str = strawberry.field(description="The time zone of the period's days.")


@strawberry.type(description="One attribution model's credits per group, most revenue first.")
class AttributionReport(AttributionTotals):
    model: AttributionModel
    rows: list[AttributionRow]


@strawberry.type(description="Every attribution model's credits per group, side by side.")
class ModelComparison(AttributionTotals):
    rows: list[ModelComparisonRow]


def _credit(row: Any, model: AttributionModel) -> Credit:
    return Credit(
        conversions=getattr(row, f"{model.value}_conversions"), revenue=getattr(row, f"{model.value}_revenue")
    )


def _page(row: Any) -> dict[str, Any]:
    return {
        "key": row.key,
        "page_url": row.page_url,
        "page_name": row.page_name,
        "page_variant": row.page_variant,
    }


async def _credits(
    info: Info,
    models: Sequence[AttributionModel],
    group_by: AttributionGroup,
    domain_id: uuid.UUID | None,
    period: ReportPeriod | None,
    lookback_days: int,
    half_life_days: float,
    conversions: list[ConversionKind],
    live: bool,
) -> tuple[list[Any], dict[str, Any]]:
    """The group rows, and the fields every attribution answer has, from the one statement."""
    scope = Scope(domain_id, period_of(period))
    window = Window(lookback_days, half_life_days)
    read_at = dt.datetime.now(dt.UTC)
    kinds = list(dict.fromkeys(conversions))
    rows = await run(info, *attribution(scope, models, group_by, window, kinds, live))
    total = rows[-1]
    data_as_of, materialized = await data_age(info, rows, [CONVERSION_TOUCHES], live, read_at)
    return [r for r in rows if not r.total], {
        "conversions": total.conversions,
        "revenue": total.revenue,
        "attributed_conversions": total.attributed_conversions,
        "attributed_revenue": total.attributed_revenue,
        "lookback_days": window.lookback_days,
        "half_life_days": window.half_life_days,
        "data_as_of": data_as_of,
        "materialized": materialized,
        "time_zone": scope.period.time_zone,
    }


LookbackDays = Annotated[
    int, strawberry.argument(description="Touchpoints count up to this many days before the conversion.")
]
HalfLifeDays = Annotated[
    float, strawberry.argument(description="Time decay: a touch this many days older gets half the weight.")
]
Kinds = Annotated[list[ConversionKind], strawberry.argument(description="Which conversions are attributed.")]
DomainId = Annotated[
    uuid.UUID | None,
    strawberry.argument(description="Conversions of leads of this domain; every domain when omitted."),
]
GroupBy = Annotated[AttributionGroup, strawberry.argument(description="What credits are grouped by.")]


@strawberry.type
class AttributionReports:
    @strawberry.field(
        description="Conversions made in the period, credited by one model to the touchpoints (UTM captures "
        "and direct sessions of the converting visitors) in the lookback window before each, per group. "
        "Most revenue first."
    )
    async def attribution(
        self,
        info: Info,
        model: AttributionModel,
        group_by: GroupBy = AttributionGroup.SOURCE,
        period: ReportPeriod | None = None,
        domain_id: DomainId = None,
        lookback_days: LookbackDays = DEFAULT_LOOKBACK_DAYS,
        half_life_days: HalfLifeDays = DEFAULT_HALF_LIFE_DAYS,
        conversions: Kinds = ALL_KINDS,
        live: Live = False,
    ) -> AttributionReport:
        rows, totals = await _credits(
            info, [model], group_by, domain_id, period, lookback_days, half_life_days, conversions, live
        )
        return AttributionReport(
            model=model, rows=[AttributionRow(**_page(r), **vars(_credit(r, model))) for r in rows], **totals
        )

    @strawberry.field(
        description="Every attribution model side by side: what each credits to each group, for the same "
        "conversions and touchpoints. Most last-touch revenue first."
    )
    async def compare_models(
        self,
        info: Info,
        group_by: GroupBy = AttributionGroup.SOURCE,
        period: ReportPeriod | None = None,
        domain_id: DomainId = None,
        lookback_days: LookbackDays = DEFAULT_LOOKBACK_DAYS,
        half_life_days: HalfLifeDays = DEFAULT_HALF_LIFE_DAYS,
        conversions: Kinds = ALL_KINDS,
        live: Live = False,
    ) -> ModelComparison:
        models = [
            AttributionModel.LAST_TOUCH,
            *(m for m in AttributionModel if m is not AttributionModel.LAST_TOUCH),
        ]
        rows, totals = await _credits(
            info, models, group_by, domain_id, period, lookback_days, half_life_days, conversions, live
        )
        return ModelComparison(
            rows=[
                ModelComparisonRow(
                    **_page(r),
                    first_touch=_credit(r, AttributionModel.FIRST_TOUCH),
                    last_touch=_credit(r, AttributionModel.LAST_TOUCH),
                    last_non_direct=_credit(r, AttributionModel.LAST_NON_DIRECT),
                    linear=_credit(r, AttributionModel.LINEAR),
                    time_decay=_credit(r, AttributionModel.TIME_DECAY),
                    position_based=_credit(r, AttributionModel.POSITION_BASED),
                )
                for r in rows
            ],
            **totals,
        )
