"""retryDelivery (connectors, admins) and setDeliveryAccount (admins)."""

import datetime as dt
import uuid
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from models import DeliveryAccount
from models.enums import Destination, OutboxKind, Platform
from resolvers.context import Info
from resolvers.deliveries import AccountRequest, retry_delivery, set_delivery_account
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.results import row_field

strawberry.enum(Destination, name="DeliveryDestination", description="Where Rastro delivers to.")


@strawberry.input(description="The delivery to try again.")
class RetryDeliveryInput:
    conversion_id: uuid.UUID = strawberry.field(description="The conversion.")
    platform: Platform = strawberry.field(description="The ad platform.")
    kind: OutboxKind = strawberry.field(
        default=OutboxKind.CONVERSION, description="The conversion itself, or its retraction."
    )


@strawberry.type(description="The delivery as stored after the retry.")
class RetryDeliveryPayload:
    delivery: Any = row_field(
        "ConversionDelivery", "schema.types.deliveries", "The delivery; null when there is none."
    )
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.input(description="A domain's account for one destination: replaced as a whole, secrets aside.")
class SetDeliveryAccountInput:
    domain_id: uuid.UUID = strawberry.field(description="The domain whose deliveries use it.")
    destination: Destination = strawberry.field(description="The ad platform, or the CRM webhook.")
    name: str = strawberry.field(description="A name for people, e.g. 'Google Ads - main' (1-100 chars).")
    settings: JSON = strawberry.field(
        description="Non-secret settings as a JSON object (customer id, pixel, ad account, conversion "
        "action, webhook URL...): the README lists them per destination."
    )
    secrets: JSON | None = strawberry.field(
        default=None,
        description="Tokens as a JSON object, stored encrypted and never readable back; "
        "leave out to keep the stored ones.",
    )
    active: bool = strawberry.field(default=True, description="Deliveries use it only while active.")


@strawberry.type(description="A delivery account as stored: its secrets are never shown.")
class DeliveryAccountInfo:
    domain_id: uuid.UUID = strawberry.field(description="The domain.")
    destination: Destination = strawberry.field(description="Where it delivers.")
    name: str = strawberry.field(description="Its name.")
    settings: JSON = strawberry.field(description="Its non-secret settings.")
    has_secrets: bool = strawberry.field(description="Whether tokens are stored (they are never shown).")
    active: bool = strawberry.field(description="Whether deliveries use it.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")

    @classmethod
    def of(cls, row: DeliveryAccount) -> "DeliveryAccountInfo":
        return cls(
            domain_id=row.domain_id,
            destination=Destination(row.destination),
            name=row.name,
            settings=cast(JSON, row.settings),
            has_secrets=row.secrets is not None,
            active=row.active,
            updated_at=row.updated_at,
        )


@strawberry.type(description="The account as stored, and the deliveries it made due.")
class SetDeliveryAccountPayload:
    account: DeliveryAccountInfo | None = strawberry.field(description="The account; null on error.")
    woken_deliveries: int = strawberry.field(
        description="Deliveries that waited for this account (NOT_CONFIGURED) and are now due."
    )
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class DeliveryMutations:
    @strawberry.mutation(
        description="Try a failed, pending or not-configured delivery again now, with a fresh attempt "
        "budget (CONFLICT when it was delivered, is being sent, or expired). Needs connector or admin."
    )
    async def retry_delivery(self, info: Info, input: RetryDeliveryInput) -> RetryDeliveryPayload:
        outcome = await retry_delivery(info.context, input.conversion_id, input.platform, input.kind)
        return RetryDeliveryPayload(delivery=outcome.delivery, errors=mutation_errors(outcome.errors))

    @strawberry.mutation(
        description="Set a domain's account for an ad platform or its CRM webhook; deliveries that "
        "waited for it become due. Needs admin and RASTRO_SECRET_KEY on the server."
    )
    async def set_delivery_account(
        self, info: Info, input: SetDeliveryAccountInput
    ) -> SetDeliveryAccountPayload:
        request = AccountRequest(
            domain_id=input.domain_id,
            destination=input.destination,
            name=input.name,
            settings=input.settings,
            secrets=input.secrets,
            active=input.active,
        )
        outcome = await set_delivery_account(info.context, request)
        account = None if outcome.account is None else DeliveryAccountInfo.of(outcome.account)
        return SetDeliveryAccountPayload(
            account=account, woken_deliveries=outcome.woken, errors=mutation_errors(outcome.errors)
        )
