"""importMarketingCosts: ad spend per day and campaign, for ROI (connectors and admins)."""

import datetime as dt
from decimal import Decimal

import strawberry

from resolvers.checkout.costs import MAX_ROWS, CostRow, import_marketing_costs
from resolvers.context import Info
from schema.mutations.errors import MutationError, mutation_errors


@strawberry.input(description="The spend of one campaign on one day (or the first day of a period).")
class MarketingCostRowInput:
    date: dt.date = strawberry.field(description="The day the cost refers to.")
    source: str = strawberry.field(description="As in utm_source, e.g. google (1-255 chars).")
    medium: str = strawberry.field(description="As in utm_medium, e.g. cpc (1-255 chars).")
    campaign: str = strawberry.field(description="As in utm_campaign (1-255 chars).")
    cost: Decimal = strawberry.field(description="Spend, >= 0, at most 4 decimals.")
    currency: str = strawberry.field(default="BRL", description="ISO 4217 code.")


@strawberry.input(description=f"Cost rows, at most {MAX_ROWS}; each date, source, medium and campaign once.")
class ImportMarketingCostsInput:
    rows: list[MarketingCostRowInput] = strawberry.field(description="The rows to upsert.")


@strawberry.type(description="What the import did; all zero and errors listed when nothing was written.")
class ImportMarketingCostsPayload:
    created: int = strawberry.field(default=0, description="Rows new to Rastro.")
    updated: int = strawberry.field(default=0, description="Rows whose cost or currency changed.")
    unchanged: int = strawberry.field(default=0, description="Rows already stored as given.")
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class MarketingCostMutations:
    @strawberry.mutation(
        description="Upsert ad spend per date, source, medium and campaign: importing the same rows again "
        "changes nothing, a new cost replaces the old one. All rows or none: any bad row is an error "
        "naming its index and field. Needs connector or admin."
    )
    async def import_marketing_costs(
        self, info: Info, input: ImportMarketingCostsInput
    ) -> ImportMarketingCostsPayload:
        rows = [
            CostRow(row.date, row.source, row.medium, row.campaign, row.cost, row.currency)
            for row in input.rows
        ]
        outcome = await import_marketing_costs(info.context, rows)
        if outcome.counts is None:
            return ImportMarketingCostsPayload(errors=mutation_errors(outcome.errors))
        counts = outcome.counts
        return ImportMarketingCostsPayload(
            created=counts.created, updated=counts.updated, unchanged=counts.unchanged
        )
