"""A/B tests of landing pages in GraphQL: each variant against its group's control."""

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from resolvers.analytics.ab_tests import (
    DEFAULT_MIN_VISITORS,
    AbGoal,
    AbVerdict,
    Arm,
    ab_counts,
    ab_tests,
    checked_min_visitors,
    compare,
)
from resolvers.analytics.materialized import VARIANT_VISITORS
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import ReportQuery, run
from resolvers.context import Info
from schema.analytics.inputs import ReportPeriod, period_of
from schema.analytics.report import Live, Report, compiled, data_age

strawberry.enum(
    AbGoal,
    name="AbGoal",
    description="What a visitor must do to count as converted: leave a lead on the variant, or a lead there "
    "that became an offline sale.",
)
strawberry.enum(
    AbVerdict,
    name="AbVerdict",
    description="The variant is the control; too few visitors or outcomes for the z-test; its difference "
    "with the control is significant at 5% or not; or its group has no control.",
)


@strawberry.type(description="One variant of an A/B test: its visitors, conversions and the z-test.")
class AbVariant:
    ab_test_id: uuid.UUID
    page_id: uuid.UUID
    page_url: str
    page_name: str | None
    page_variant: str | None
    is_control: bool
    visitors: int = strawberry.field(description="Visitors who viewed the variant in the period.")
    leads: int = strawberry.field(description="Of those, visitors who left a lead on it in the period.")
    conversions: int = strawberry.field(description="Of those, visitors whose lead became an offline sale.")
    conversion_rate: float | None = strawberry.field(
        description="Visitors reaching the goal per visitor (0-1); null without visitors."
    )
    lift: float | None = strawberry.field(
        description="Relative change of the rate vs the control (0.1 = +10%); null for the control."
    )
    verdict: AbVerdict
    p_value: float | None = strawberry.field(
        description="Two-sided p-value of the two-proportion z-test vs the control; null without enough data."
    )
    difference: float | None = strawberry.field(description="Rate minus the control's rate.")
    ci_low: float | None = strawberry.field(description="95% confidence interval of the difference: low end.")
    ci_high: float | None = strawberry.field(
        description="95% confidence interval of the difference: high end."
    )


MinVisitors = Annotated[
    int,
    strawberry.argument(
        description="Below this many visitors in the variant or the control the answer is NOT_ENOUGH_DATA "
        "(so it is, too, with fewer than 5 conversions or non-conversions in either)."
    ),
]


def ab_tests_report(
    ab_test_id: uuid.UUID | None = None,
    domain_id: uuid.UUID | None = None,
    period: ReportPeriod | None = None,
    goal: AbGoal = AbGoal.LEAD,
    min_visitors: int = DEFAULT_MIN_VISITORS,
    live: bool = False,
) -> ReportQuery:
    """The compiled read path's statement: the counts with the z-test in SQL, as the resolver computes it."""
    scope = Scope(domain_id, period_of(period))
    query = ab_tests(scope, ab_test_id, goal, checked_min_visitors(min_visitors), live)
    return ReportQuery(query, scope.period, [VARIANT_VISITORS], live)


@strawberry.type
class AbTestReports:
    @strawberry.field(
        description="Landing-page A/B tests (one test, or all of a domain's, or all): per variant visitors, "
        "leads, conversions, rate for the goal, lift vs the control and a two-proportion z-test.",
        metadata=compiled(ab_tests_report),
    )
    async def ab_tests(
        self,
        info: Info,
        ab_test_id: uuid.UUID | None = None,
        domain_id: uuid.UUID | None = None,
        period: ReportPeriod | None = None,
        goal: AbGoal = AbGoal.LEAD,
        min_visitors: MinVisitors = DEFAULT_MIN_VISITORS,
        live: Live = False,
    ) -> Report[AbVariant]:
        scope = Scope(domain_id, period_of(period))
        minimum = checked_min_visitors(min_visitors)
        read_at = dt.datetime.now(dt.UTC)
        rows = await run(info, *ab_counts(scope, ab_test_id, live))
        arms = {r.page_id: Arm(r.visitors, r.leads if goal is AbGoal.LEAD else r.conversions) for r in rows}
        controls = {r.ab_test_id: arms[r.page_id] for r in rows if r.is_control}
        variants = []
        for r in rows:
            arm = arms[r.page_id]
            test = compare(arm, controls.get(r.ab_test_id), r.is_control, minimum)
            variants.append(
                AbVariant(
                    ab_test_id=r.ab_test_id,
                    page_id=r.page_id,
                    page_url=r.page_url,
                    page_name=r.page_name,
                    page_variant=r.page_variant,
                    is_control=r.is_control,
                    visitors=r.visitors,
                    leads=r.leads,
                    conversions=r.conversions,
                    conversion_rate=arm.rate,
                    lift=test.lift,
                    verdict=test.verdict,
                    p_value=test.p_value,
                    difference=test.difference,
                    ci_low=test.ci_low,
                    ci_high=test.ci_high,
                )
            )
        data_as_of, materialized = await data_age(info, rows, [VARIANT_VISITORS], live, read_at)
        return Report(
            rows=variants, data_as_of=data_as_of, materialized=materialized, time_zone=scope.period.time_zone
        )
