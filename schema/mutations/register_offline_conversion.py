"""registerOfflineConversion: a CRM closed a sale that the ad platforms should hear about."""

import datetime as dt
from decimal import Decimal

import strawberry

from models import OfflineConversion
from resolvers.context import Info
from resolvers.mutations.register_offline_conversion import ConversionRequest, register_offline_conversion
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.lead_ref import LeadInput
from schema.mutations.results import CONVERSIONS, row_field


@strawberry.input(
    description="An offline sale of a lead. Repeating it returns the conversion already registered."
)
class RegisterOfflineConversionInput(LeadInput):
    value: Decimal = strawberry.field(description="Sale value, >= 0, 2 decimals.")
    conversion_date: dt.datetime = strawberry.field(description="When the sale happened (with offset).")
    conversion_name: str = strawberry.field(
        default="purchase",
        description="One conversion of each name per lead, e.g. purchase, contract_signed.",
    )
    currency: str = strawberry.field(default="BRL", description="ISO 4217 code.")
    mark_won: bool = strawberry.field(
        default=True, description="Also append a won stage with the value, at conversionDate."
    )
    changed_by: str | None = strawberry.field(
        default=None, description="Who recorded the won stage; defaults to the API key's name."
    )


@strawberry.type(description="The conversion, and whether this call created it.")
class RegisterOfflineConversionPayload:
    conversion: OfflineConversion | None = row_field(
        "OfflineConversion", CONVERSIONS, "The conversion (new or already registered); null on error."
    )
    created: bool = strawberry.field(default=False, description="False when it was already registered.")
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class RegisterOfflineConversionMutation:
    @strawberry.mutation(
        description="Register an offline sale, queue it for each ad platform that can use it, and mark the "
        "lead won, in one transaction. Needs connector or admin."
    )
    async def register_offline_conversion(
        self, info: Info, input: RegisterOfflineConversionInput
    ) -> RegisterOfflineConversionPayload:
        request = ConversionRequest(
            lead=input.lead_ref(),
            value=input.value,
            conversion_date=input.conversion_date,
            conversion_name=input.conversion_name,
            currency=input.currency,
            mark_won=input.mark_won,
            changed_by=input.changed_by,
        )
        outcome = await register_offline_conversion(info.context, request)
        return RegisterOfflineConversionPayload(
            conversion=outcome.conversion, created=outcome.created, errors=mutation_errors(outcome.errors)
        )
