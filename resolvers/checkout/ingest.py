"""ingestTransaction and `rastro import`: sales of any checkout, written by the webhooks' apply_sale.

The checks here cover everything the columns cannot hold, naming every bad field at once; apply_sale's
own check_sale runs again as the last guard. Idempotent by platform and transaction id (apply_sale).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Domain, Transaction
from models.enums import SaleStatus
from resolvers.checkout.apply import COMMISSION_SOURCES, SaleError, apply_sale
from resolvers.checkout.shape import Sale
from resolvers.context import Context
from resolvers.mutations.input_checks import money_failures, text_failures
from resolvers.mutations.outcome import ErrorCode, Failure, FieldPath, invalid
from resolvers.mutations.permissions import refuse_non_writers
from resolvers.mutations.register_offline_conversion import CURRENCY_CODE
from resolvers.mutations.transaction import write_transaction

# numeric(15, 4), the transaction domain's money.
MONEY_LIMIT = Decimal(10) ** 11
MONEY_PLACES = 4
LAST4 = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Ingested:
    transaction: Transaction | None = None
    created: bool = False
    status: SaleStatus | None = None
    previous_status: SaleStatus | None = None
    errors: list[Failure] = field(default_factory=list)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def field_path(dotted: str, root: FieldPath = ("input",)) -> FieldPath:
    """apply_sale's "items.0.unit_price" as the input's ("input", "items", "0", "unitPrice")."""
    return (*root, *(camel(part) for part in dotted.split(".")))


def _money(value: Decimal | None, path: FieldPath) -> list[Failure]:
    return money_failures(value, path, MONEY_LIMIT, MONEY_PLACES)


def _texts(pairs: Iterable[tuple[str, str | None, int]], root: FieldPath) -> list[Failure]:
    return [
        failure
        for name, value, limit in pairs
        for failure in text_failures(value, field_path(name, root), limit)
    ]


def sale_failures(sale: Sale, root: FieldPath = ("input",)) -> list[Failure]:
    """Every field of the sale the reference schema cannot hold, by its input path."""
    failures = _texts(
        [("platform", sale.platform, 50), ("transaction_id", sale.transaction_id, 100),
         ("status_detail", sale.status_detail, 50), ("buyer.email", sale.buyer.email, 320),
         ("parent_transaction_id", sale.parent_transaction_id, 100)],
        root,
    )  # fmt: skip
    if not CURRENCY_CODE.fullmatch(sale.currency):
        failures.append(invalid(field_path("currency", root), "must be an ISO 4217 code, e.g. BRL"))
    failures += _money(sale.amount, field_path("amount", root))
    if not sale.items:
        failures.append(invalid(field_path("items", root), "needs at least one product"))
    for i, item in enumerate(sale.items):
        failures += _texts([(f"items.{i}.external_id", item.external_id, 100)], root)
        failures += _money(item.unit_price, field_path(f"items.{i}.unit_price", root))
        if item.quantity < 1:
            failures.append(invalid(field_path(f"items.{i}.quantity", root), "must be 1 or more"))
    for i, share in enumerate(sale.commissions):
        failures += _money(share.amount, field_path(f"commissions.{i}.amount", root))
        if share.source not in COMMISSION_SOURCES:
            message = f"must be one of {', '.join(sorted(COMMISSION_SOURCES))}"
            failures.append(invalid(field_path(f"commissions.{i}.source", root), message))
        if not CURRENCY_CODE.fullmatch(share.currency):
            failures.append(
                invalid(field_path(f"commissions.{i}.currency", root), "must be an ISO 4217 code")
            )
    if (offer := sale.offer) is not None:
        failures += _texts(
            [("offer.code", offer.code, 100), ("offer.coupon_code", offer.coupon_code, 100)], root
        )
        failures += _money(offer.price, field_path("offer.price", root))
    if (payment := sale.payment) is not None:
        failures += _texts([("payment.card_brand", payment.card_brand, 50)], root)
        failures += _money(payment.value, field_path("payment.value", root))
        if payment.installments is not None and payment.installments < 1:
            failures.append(invalid(field_path("payment.installments", root), "must be 1 or more"))
        if payment.card_last4 is not None and not LAST4.fullmatch(payment.card_last4):
            message = "must be the card's last 4 digits (never a card number)"
            failures.append(invalid(field_path("payment.card_last4", root), message))
    if (terms := sale.subscription) is not None:
        failures += _texts([("subscription.subscription_id", terms.subscription_id, 100)], root)
        if terms.charge_number is not None and terms.charge_number < 1:
            failures.append(invalid(field_path("subscription.charge_number", root), "must be 1 or more"))
    return failures


async def apply_checked(session: AsyncSession, sale: Sale, root: FieldPath = ("input",)) -> Ingested:
    """apply_sale in the caller's transaction, for a sale sale_failures found nothing wrong with."""
    if sale.domain_id is not None and not await session.scalar(
        select(exists().where(Domain.domain_id == sale.domain_id))
    ):
        path = field_path("domain_id", root)
        return Ingested(errors=[Failure(ErrorCode.NOT_FOUND, path, f"no domain {sale.domain_id}")])
    try:
        applied = await apply_sale(session, sale)
    except SaleError as error:  # raised before anything is written
        return Ingested(errors=[invalid(field_path(error.field, root), error.message)])
    row = await session.get(Transaction, applied.transaction, populate_existing=True)
    return Ingested(row, applied.created, applied.status, applied.previous_status)


async def ingest_transaction(context: Context, sale: Sale) -> Ingested:
    if errors := refuse_non_writers(context.principal) or sale_failures(sale):
        return Ingested(errors=errors)
    async with write_transaction(context, "ingestTransaction") as session:
        return await apply_checked(session, sale)
