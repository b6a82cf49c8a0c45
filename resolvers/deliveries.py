"""retryDelivery and setDeliveryAccount: what connectors and admins do about deliveries to the platforms."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text, update

from integrations.delivery.account_settings import AccountError
from integrations.delivery.account_setup import set_account
from models import ConversionOutbox, DeliveryAccount
from models.enums import DeliveryStatus, Destination, OutboxKind, Platform
from resolvers.access import MUTATIONS
from resolvers.context import Context
from resolvers.mutations.outcome import ErrorCode, Failure, conflict, invalid
from resolvers.mutations.permissions import refuse_non_writers, refuse_unless
from resolvers.mutations.transaction import write_transaction

RETRYABLE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.NOT_CONFIGURED)

MARK_PENDING = text("""
UPDATE offline_conversions
SET sync_status = jsonb_set(sync_status, ARRAY[CAST(:platform AS text)], '"pending"')
WHERE conversion_id = :conversion_id
""")


@dataclass(frozen=True)
class DeliveryOutcome:
    delivery: ConversionOutbox | None = None
    errors: list[Failure] = field(default_factory=list)


def refusal(row: ConversionOutbox) -> Failure | None:
    """Why a delivery cannot be retried now, or None."""
    status = DeliveryStatus(row.status)
    if status in RETRYABLE:
        return None
    reasons = {
        DeliveryStatus.DELIVERED: "it was delivered already",
        DeliveryStatus.DELIVERING: "a worker is sending it now; its outcome is recorded within the lease",
        DeliveryStatus.EXPIRED: f"it is outside {row.platform}'s window, so the platform would refuse it",
        DeliveryStatus.CANCELED: "its lead was erased on request (LGPD)",
    }
    return conflict(("input", "platform"), f"Cannot retry: {reasons[status]}")


async def retry_delivery(
    context: Context, conversion_id: uuid.UUID, platform: Platform, kind: OutboxKind
) -> DeliveryOutcome:
    """Make a failed, pending or not-configured delivery due now, with a fresh attempt budget."""
    if errors := refuse_non_writers(context.principal):
        return DeliveryOutcome(errors=errors)
    o = ConversionOutbox
    async with write_transaction(context, "retryDelivery") as session:
        row = await session.scalar(
            select(o)
            .where(o.conversion_id == conversion_id, o.platform == platform.value, o.kind == kind.value)
            .with_for_update()
        )
        if row is None:
            message = f"No {kind.value} of conversion {conversion_id} is queued for {platform.value}"
            return DeliveryOutcome(errors=[Failure(ErrorCode.NOT_FOUND, ("input", "conversionId"), message)])
        if (why := refusal(row)) is not None:
            return DeliveryOutcome(delivery=row, errors=[why])
        retried = await session.scalar(
            update(o)
            .where(o.id == row.id)
            .values(status=DeliveryStatus.PENDING.value, next_attempt_at=func.now(), attempts=0)
            .returning(o)
            .execution_options(populate_existing=True)
        )
        if kind is OutboxKind.CONVERSION:
            await session.execute(MARK_PENDING, {"platform": platform.value, "conversion_id": conversion_id})
        return DeliveryOutcome(delivery=retried)


@dataclass(frozen=True)
class AccountRequest:
    domain_id: uuid.UUID
    destination: Destination
    name: str
    settings: Any
    secrets: Any
    active: bool


@dataclass(frozen=True)
class AccountOutcome:
    account: DeliveryAccount | None = None
    woken: int = 0
    errors: list[Failure] = field(default_factory=list)


def shape_failures(request: AccountRequest) -> list[Failure]:
    failures = []
    if not isinstance(request.settings, dict):
        failures.append(invalid(("input", "settings"), "must be a JSON object"))
    if request.secrets is not None and not isinstance(request.secrets, dict):
        failures.append(invalid(("input", "secrets"), "must be a JSON object"))
    return failures


async def set_delivery_account(context: Context, request: AccountRequest) -> AccountOutcome:
    """Store a domain's account for one destination (secrets sealed) and wake what waited for it."""
    errors = refuse_unless(context.principal, MUTATIONS["setDeliveryAccount"], "Delivery accounts")
    if errors := errors or shape_failures(request):
        return AccountOutcome(errors=errors)
    async with write_transaction(context, "setDeliveryAccount") as session:
        try:
            account, woken = await set_account(
                session,
                context.secret_box,
                request.domain_id,
                request.destination,
                request.name,
                request.settings,
                request.secrets,
                request.active,
            )
        except AccountError as error:  # raised before anything is written
            path = ("input", *error.field.split("."))
            code = ErrorCode.NOT_FOUND if error.field == "domainId" else ErrorCode.INVALID
            return AccountOutcome(errors=[Failure(code, path, error.message)])
        return AccountOutcome(account=account, woken=woken)
