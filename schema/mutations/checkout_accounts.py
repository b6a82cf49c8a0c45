"""setCheckoutAccount (admins): the webhook token of a domain's Hotmart or Kiwify account."""

import datetime as dt
import uuid

import strawberry

from models import CheckoutAccount
from models.enums import CheckoutPlatform
from resolvers.checkout.set_account import set_checkout_account_of
from resolvers.context import Info
from schema.mutations.errors import MutationError, mutation_errors

strawberry.enum(CheckoutPlatform, description="A checkout platform whose webhooks Rastro receives.")


@strawberry.input(description="A domain's account on a checkout platform: replaced as a whole.")
class SetCheckoutAccountInput:
    domain_id: uuid.UUID = strawberry.field(description="The domain whose sales the webhooks bring.")
    platform: CheckoutPlatform = strawberry.field(description="Hotmart or Kiwify.")
    name: str = strawberry.field(description="A name for people, e.g. 'Hotmart - main' (1-100 chars).")
    token: str = strawberry.field(
        description="The platform's webhook token (Hotmart hottok, Kiwify webhook token), 8-500 chars. "
        "Stored hashed (Hotmart) or encrypted (Kiwify) and never readable back."
    )
    active: bool = strawberry.field(default=True, description="Webhooks are accepted only while active.")


@strawberry.type(description="A checkout account as stored: its token is never shown.")
class CheckoutAccountInfo:
    domain_id: uuid.UUID = strawberry.field(description="The domain.")
    platform: CheckoutPlatform = strawberry.field(description="The checkout platform.")
    name: str = strawberry.field(description="Its name.")
    active: bool = strawberry.field(description="Whether its webhooks are accepted.")
    webhook_path: str = strawberry.field(description="Where the platform posts: this path on Rastro's host.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")

    @classmethod
    def of(cls, row: CheckoutAccount) -> "CheckoutAccountInfo":
        return cls(
            domain_id=row.domain_id,
            platform=CheckoutPlatform(row.platform),
            name=row.name,
            active=row.active,
            webhook_path=f"/webhooks/{row.platform}",
            updated_at=row.updated_at,
        )


@strawberry.type(description="The account as stored.")
class SetCheckoutAccountPayload:
    account: CheckoutAccountInfo | None = strawberry.field(description="The account; null on error.")
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class CheckoutAccountMutations:
    @strawberry.mutation(
        description="Set a domain's Hotmart or Kiwify webhook token; webhooks signed with it are "
        "accepted from then on. Needs admin (and RASTRO_SECRET_KEY on the server for Kiwify)."
    )
    async def set_checkout_account(
        self, info: Info, input: SetCheckoutAccountInput
    ) -> SetCheckoutAccountPayload:
        outcome = await set_checkout_account_of(
            info.context, input.domain_id, input.platform, input.name, input.token, input.active
        )
        account = None if outcome.account is None else CheckoutAccountInfo.of(outcome.account)
        return SetCheckoutAccountPayload(account=account, errors=mutation_errors(outcome.errors))
