"""apply_sale: one normalized Sale into the reference schema, idempotent and order-proof.

Each state of a transaction has a precedence: its status rank (a refund outranks the approval it undoes),
then the time the platform gives it. The transaction shows the highest state seen so far, so events
delivered twice or out of order end in the state they would have reached in order. Every state is kept
in transaction_status_history. Rows are locked customer -> products -> transaction, always in that order.

The writes are plain asyncpg statements on the session's own connection and transaction, one per table
or fewer (about ten per sale, where the ORM took about thirty): an event is mostly their round trips.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from validate_docbr import CNPJ, CPF

from models.enums import SaleStatus
from resolvers.checkout.loop import SOLD_COLUMNS, Sold, close_the_loop
from resolvers.checkout.parties import customer_of, products_of, subscription_of, write_offer
from resolvers.checkout.sale_rows import write_rows
from resolvers.checkout.shape import Sale

# A state outranks the ones it ends: paid beats unpaid, and a refund or chargeback beats the payment.
STATUS_RANK = {
    SaleStatus.WAITING_PAYMENT: 1,
    SaleStatus.REFUSED: 2,
    SaleStatus.CANCELED: 2,
    SaleStatus.EXPIRED: 2,
    SaleStatus.APPROVED: 3,
    SaleStatus.REFUNDED: 4,
    SaleStatus.CHARGEBACK: 5,
}
CURRENCY = re.compile(r"[A-Z]{3}")
COMMISSION_SOURCES = frozenset({"PRODUCER", "COPRODUCER", "AFFILIATE", "MARKETPLACE"})
MONEY_LIMIT = Decimal("99999999999")  # numeric(15, 4)


class SaleError(ValueError):
    """A sale that cannot be written: `field` is its dotted path in Sale."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class AppliedSale:
    transaction: int  # transactions.id
    created: bool  # the transaction is new
    status: SaleStatus  # the transaction's status once applied
    previous_status: SaleStatus | None  # before this sale (None when new)
    customer: int


def check_sale(sale: Sale) -> None:
    """Raise SaleError for what the schema cannot hold; anything else is stored as sent."""
    if not sale.transaction_id.strip() or len(sale.transaction_id) > 100:
        raise SaleError("transaction_id", "must be 1 to 100 characters")
    if not sale.platform.strip() or len(sale.platform) > 50:
        raise SaleError("platform", "must be 1 to 50 characters")
    if not CURRENCY.fullmatch(sale.currency):
        raise SaleError("currency", "must be an ISO 4217 code, e.g. BRL")
    if not sale.buyer.email.strip():
        raise SaleError("buyer.email", "is required: customers are matched by e-mail")
    if not sale.items:
        raise SaleError("items", "needs at least one product")
    money = [
        ("amount", sale.amount),
        *((f"items.{i}.unit_price", x.unit_price) for i, x in enumerate(sale.items)),
    ]
    money += [(f"commissions.{i}.amount", c.amount) for i, c in enumerate(sale.commissions)]
    for field, value in money:
        if not value.is_finite() or value < 0 or value > MONEY_LIMIT:
            raise SaleError(field, "must be an amount from 0 to 99,999,999,999")
    for i, share in enumerate(sale.commissions):
        if share.source not in COMMISSION_SOURCES:
            raise SaleError(
                f"commissions.{i}.source", f"must be one of {', '.join(sorted(COMMISSION_SOURCES))}"
            )
    for name, moment in (("occurred_at", sale.occurred_at), ("order_date", sale.order_date)):
        if moment.tzinfo is None:
            raise SaleError(name, "needs a time zone")


def document_of(raw: str | None) -> tuple[str | None, str | None, bool | None]:
    """(document, CPF|CNPJ, check digits valid): punctuation dropped, letters kept (alphanumeric CNPJ)."""
    if raw is None:
        return None, None, None
    document = re.sub(r"[^0-9A-Z]", "", raw.upper())
    if not document or len(document) > 20:
        return None, None, None
    if len(document) <= 11 and document.isdigit():
        document = document.zfill(11)
        return document, "CPF", bool(CPF().validate(document))
    if len(document) == 14:
        return document, "CNPJ", bool(CNPJ().validate(document))
    return document, None, False


def _tracking_source(sale: Sale) -> str | None:
    t = sale.tracking
    if t is None:
        return None
    value = t.src or t.sck or t.xcod or t.utm_source
    return None if value is None else value[:255]


# A new transaction, or nothing when it exists (then it is locked and merged below).
INSERT_TRANSACTION = f"""
INSERT INTO transactions (transaction_id, platform, customer_id, status_id, offer_price, currency, order_date,
                          tracking_source, domain_id, approved_at, status_at, status_detail,
                          parent_transaction_id, subscription_id, charge_number)
SELECT $1::varchar, $2::varchar, $3::integer, s.id, $5::numeric, $6::char(3), $7::timestamptz, $8::varchar,
       $9::uuid, $10::timestamptz, $11::timestamptz, $12::varchar, $13::varchar, $14::integer, $15::integer
FROM transaction_statuses s WHERE s.code = $4::varchar
ON CONFLICT (transaction_id, platform) DO NOTHING
RETURNING {SOLD_COLUMNS}
"""
# The status is read in the select list: a join would drop the row when a concurrent sale changes it.
LOCK_TRANSACTION = """
SELECT id, (SELECT code FROM transaction_statuses s WHERE s.id = t.status_id) AS code,
       coalesce(status_at, order_date) AS status_at, coalesce(status_detail, '') AS detail
FROM transactions t
WHERE transaction_id = $1::varchar AND platform = $2::varchar
FOR UPDATE
"""
# Every state narrows the dates and fills what is unknown; the winning one also sets what is shown.
MERGE = """
approved_at = least(approved_at, $2::timestamptz), order_date = least(order_date, $3::timestamptz),
domain_id = coalesce(domain_id, $4::uuid), subscription_id = coalesce(subscription_id, $5::integer)"""
KEEP_TRANSACTION = f"UPDATE transactions SET {MERGE} WHERE id = $1::integer RETURNING {SOLD_COLUMNS}"
SHOW_TRANSACTION = f"""
UPDATE transactions SET {MERGE},
    customer_id = $6::integer, status_id = (SELECT id FROM transaction_statuses WHERE code = $7::varchar),
    offer_price = $8::numeric, currency = $9::char(3), status_at = $10::timestamptz,
    status_detail = $11::varchar, tracking_source = coalesce($12::varchar, tracking_source),
    parent_transaction_id = coalesce($13::varchar, parent_transaction_id),
    charge_number = coalesce($14::integer, charge_number)
WHERE id = $1::integer
RETURNING {SOLD_COLUMNS}
"""


async def driver_of(session: AsyncSession) -> Any:
    """The session's asyncpg connection, inside the session's transaction."""
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    if not driver.is_in_transaction():
        await connection.exec_driver_sql("SELECT 1")  # the session's BEGIN waits for its first statement
    return driver


async def apply_sale(session: AsyncSession, sale: Sale, event_id: int | None = None) -> AppliedSale:
    """Write one sale inside the caller's transaction; SaleError (nothing written) when it cannot be held.

    Idempotent: the same sale again changes nothing. Order-proof: see the module docstring. A paid purchase
    of a known lead registers its offline conversion, and a refund adjusts it (resolvers.checkout.loop).
    `event_id` links the status history to the raw checkout event it came from.
    """
    check_sale(sale)
    connection = await driver_of(session)
    customer = await customer_of(connection, sale.buyer, document_of(sale.buyer.document))
    products = await products_of(connection, sale)
    main_product = products[sale.items[0].external_id]
    offer_id = await write_offer(connection, sale, main_product)
    subscription = await subscription_of(connection, sale, customer, main_product)
    charge = None if sale.subscription is None else sale.subscription.charge_number
    shown = (customer, sale.status.value, sale.amount, sale.currency)
    found = await connection.fetchrow(
        INSERT_TRANSACTION, sale.transaction_id, sale.platform, *shown, sale.order_date,
        _tracking_source(sale), sale.domain_id, sale.approved_at, sale.occurred_at, sale.status_detail[:50],
        sale.parent_transaction_id, subscription, charge,
    )  # fmt: skip
    previous: SaleStatus | None = None
    wins = True
    if found is None:
        locked = await connection.fetchrow(LOCK_TRANSACTION, sale.transaction_id, sale.platform)
        previous = SaleStatus(locked["code"])
        wins = _wins(sale, previous, locked["status_at"], locked["detail"])
        merged = (locked["id"], sale.approved_at, sale.order_date, sale.domain_id, subscription)
        if wins:
            found = await connection.fetchrow(
                SHOW_TRANSACTION, *merged, *shown, sale.occurred_at, sale.status_detail[:50],
                _tracking_source(sale), sale.parent_transaction_id, charge,
            )  # fmt: skip
        else:
            found = await connection.fetchrow(KEEP_TRANSACTION, *merged)
    sold = Sold(**dict(found))
    lead = await write_rows(connection, sale, sold, products, offer_id, wins, previous is None, event_id)
    final = sale.status if wins else previous
    assert final is not None
    await close_the_loop(session, sold, final, lead)
    return AppliedSale(transaction=sold.id, created=previous is None, status=final, previous_status=previous,
                       customer=customer)  # fmt: skip


def _wins(sale: Sale, current: SaleStatus, shown_at: dt.datetime, detail: str) -> bool:
    """Whether this state outranks the one the transaction shows (rank, then time, then name)."""
    return (STATUS_RANK[sale.status], sale.occurred_at, sale.status_detail) > (
        STATUS_RANK[current],
        shown_at,
        detail,
    )
