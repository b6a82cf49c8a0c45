"""setCheckoutAccount: admins give a domain its Hotmart or Kiwify webhook token."""

import uuid
from dataclasses import dataclass, field

from models import CheckoutAccount
from models.enums import CheckoutPlatform
from resolvers.access import MUTATIONS
from resolvers.checkout.accounts import CheckoutAccountError, set_checkout_account
from resolvers.context import Context
from resolvers.mutations.outcome import ErrorCode, Failure
from resolvers.mutations.permissions import refuse_unless
from resolvers.mutations.transaction import write_transaction


@dataclass(frozen=True)
class CheckoutAccountOutcome:
    account: CheckoutAccount | None = None
    errors: list[Failure] = field(default_factory=list)


async def set_checkout_account_of(
    context: Context, domain_id: uuid.UUID, platform: CheckoutPlatform, name: str, token: str, active: bool
) -> CheckoutAccountOutcome:
    if errors := refuse_unless(context.principal, MUTATIONS["setCheckoutAccount"], "Checkout accounts"):
        return CheckoutAccountOutcome(errors=errors)
    async with write_transaction(context, "setCheckoutAccount") as session:
        try:
            account = await set_checkout_account(
                session, context.secret_box, domain_id, platform, name, token, active
            )
        except CheckoutAccountError as error:  # raised before anything is written
            code = ErrorCode.NOT_FOUND if error.field == "domainId" else ErrorCode.INVALID
            return CheckoutAccountOutcome(errors=[Failure(code, ("input", error.field), error.message)])
        return CheckoutAccountOutcome(account=account)
