"""The rows a sale adds under its transaction, in one statement: items, status history, payment attempt,
UTMs, offer snapshot and commissions, each an INSERT in a WITH clause of its own.

The transaction row is locked by the caller (apply_sale), so "insert unless the same row is there" cannot
race. The statement's text depends only on which parts the sale has; its values are all parameters.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from models import PaymentType
from resolvers.checkout.loop import Sold, buyer_lead, wants_lead
from resolvers.checkout.shape import Sale

# A history row is inserted once per distinct content: (column, its type) in column order.
PAYMENT_COLUMNS = (
    ("payment_method", "payment_method_enum"), ("payment_type", "payment_type_enum"),
    ("installments", "integer"), ("value", "numeric"), ("payment_date", "timestamptz"),
    ("card_brand", "varchar"), ("card_last_digits", "varchar"), ("bank_slip_barcode", "text"),
    ("bank_slip_url", "text"), ("bank_slip_expires_at", "timestamptz"), ("pix_code", "text"),
    ("pix_expires_at", "timestamptz"),
)  # fmt: skip
UTM_COLUMNS = tuple(
    (name, "varchar")
    for name in ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "src", "sck", "xcod")
)
SNAPSHOT_COLUMNS = (
    ("code", "varchar"), ("offer_id", "varchar"), ("offer_name", "varchar"), ("price", "numeric"),
    ("coupon_code", "varchar"),
)  # fmt: skip


TX = "$1::integer"  # the transaction's id, every statement's first parameter


class Statement:
    """WITH clauses and their parameters, numbered as they are added; $1 is the transaction's id."""

    def __init__(self, transaction: int, new: bool) -> None:
        self.args: list[Any] = [transaction]
        self.parts: list[str] = []
        self.new = new  # the transaction was inserted by this sale

    def arg(self, value: Any, kind: str) -> str:
        self.args.append(value)
        return f"${len(self.args)}::{kind}"

    def add(self, sql: str) -> None:
        self.parts.append(f"w{len(self.parts)} AS ({sql})")

    def once(self, table: str, columns: Iterable[tuple[str, str]], values: Iterable[Any]) -> None:
        """Insert the row unless the transaction already has one just like it (a new one has none)."""
        pairs = [(name, self.arg(value, kind)) for (name, kind), value in zip(columns, values, strict=True)]
        names = ", ".join(name for name, _ in pairs)
        params = ", ".join(param for _, param in pairs)
        same = " AND ".join(f"{name} IS NOT DISTINCT FROM {param}" for name, param in pairs)
        # The check reads every partition of a partitioned table (by created_at): spared to new transactions.
        unless = (
            ""
            if self.new
            else f" WHERE NOT EXISTS (SELECT FROM {table} WHERE transaction_id = {TX} AND {same})"
        )
        self.add(f"INSERT INTO {table} (transaction_id, {names}) SELECT {TX}, {params}{unless}")

    def text(self, final: str) -> str:
        return "WITH " + ",\n".join(self.parts) + f"\n{final}"


def _items(statement: Statement, sale: Sale, products: dict[str, int], wins: bool) -> None:
    # One row per product: the winning state's last line for it, else the first (as one INSERT each would).
    lines = {}
    for item in sale.items if wins else reversed(sale.items):
        lines[products[item.external_id]] = item
    product_ids = statement.arg(list(lines), "integer[]")
    quantities = statement.arg([i.quantity for i in lines.values()], "integer[]")
    prices = statement.arg([i.unit_price for i in lines.values()], "numeric[]")
    replace = "DO UPDATE SET quantity = excluded.quantity, unit_price = excluded.unit_price"
    on_conflict = replace if wins else "DO NOTHING"
    statement.add(
        "INSERT INTO transaction_items (transaction_id, product_id, quantity, unit_price) "
        f"SELECT {TX}, * FROM unnest({product_ids}, {quantities}, {prices}) "
        f"ON CONFLICT (transaction_id, product_id) {on_conflict}"
    )


def _status(statement: Statement, sale: Sale, event_id: int | None) -> None:
    status = statement.arg(sale.status.value, "varchar")
    detail = statement.arg(sale.status_detail[:50], "varchar")
    occurred, event = statement.arg(sale.occurred_at, "timestamptz"), statement.arg(event_id, "bigint")
    statement.add(
        "INSERT INTO transaction_status_history (transaction_id, status_id, status_detail, occurred_at, "
        f"event_id) SELECT {TX}, id, {detail}, {occurred}, {event} FROM transaction_statuses "
        f"WHERE code = {status} ON CONFLICT (transaction_id, status_detail, occurred_at) DO NOTHING"
    )


def _history(statement: Statement, sale: Sale, offer_id: str) -> None:
    """Payment attempt, UTMs and offer snapshot, each once per distinct content."""
    if (p := sale.payment) is not None:
        kind = p.payment_type or payment_type_of(sale)
        values: tuple[Any, ...] = (p.method, kind, p.installments, p.value, p.at, p.card_brand,
                                   p.card_last4, p.boleto_line, p.boleto_url, p.boleto_expires_at,
                                   p.pix_code, p.pix_expires_at)  # fmt: skip
        statement.once("platform_transaction_payment_history", PAYMENT_COLUMNS, values)
    t = sale.tracking
    if t is not None and any(vars(t).values()):
        utms = ((v or None) and v[:255] for v in (t.utm_source, t.utm_medium, t.utm_campaign, t.utm_term,
                                                  t.utm_content, t.src, t.sck, t.xcod))  # fmt: skip
        statement.once("platform_utm_history", UTM_COLUMNS, utms)
    if (terms := sale.offer) is not None:
        name = (terms.name or terms.code or sale.items[0].name)[:255]
        values = (terms.code, offer_id, name, terms.price, terms.coupon_code)
        statement.once("platform_sale_offer_history", SNAPSHOT_COLUMNS, values)


def payment_type_of(sale: Sale) -> PaymentType:
    if sale.subscription is not None:
        first = sale.subscription.charge_number in (None, 1)
        return PaymentType.SUBSCRIPTION if first else PaymentType.RECURRING
    installments = None if sale.payment is None else sale.payment.installments
    return PaymentType.INSTALLMENTS if (installments or 1) > 1 else PaymentType.SINGLE


def _commissions(statement: Statement, sale: Sale, wins: bool) -> None:
    """The winning state's split replaces the stored one; a late older state only fills an empty one."""
    if not sale.commissions:
        return
    shares = sale.commissions
    columns = ", ".join([
        statement.arg([c.source for c in shares], "varchar[]"),
        statement.arg([c.amount for c in shares], "numeric[]"),
        statement.arg([c.currency for c in shares], "varchar[]"),
        statement.arg([None if c.recipient is None else c.recipient[:255] for c in shares], "varchar[]"),
    ])  # fmt: skip
    if wins:
        statement.add(f"DELETE FROM platform_commission WHERE transaction_id = {TX}")
    empty = "" if wins else f" WHERE NOT EXISTS (SELECT FROM platform_commission WHERE transaction_id = {TX})"
    statement.add(
        "INSERT INTO platform_commission (transaction_id, source, amount, currency, recipient_name) "
        f"SELECT {TX}, * FROM unnest({columns}){empty}"
    )


async def write_rows(
    connection: Any, sale: Sale, sold: Sold, products: dict[str, int], offer_id: str, wins: bool, new: bool,
    event_id: int | None,
) -> uuid.UUID | None:  # fmt: skip
    """Everything under the (locked) transaction row, and the event's link to it. `wins`: this state is
    the one the transaction shows; `new`: this sale inserted it. The buyer's lead when wants_lead(sold)."""
    statement = Statement(sold.id, new)
    _items(statement, sale, products, wins)
    _status(statement, sale, event_id)
    _history(statement, sale, offer_id)
    _commissions(statement, sale, wins)
    if event_id is not None:
        event = statement.arg(event_id, "bigint")
        statement.add(f"UPDATE checkout_events SET transaction_id = {TX} WHERE id = {event}")
    final = "SELECT NULL::uuid"
    if wants_lead(sold):
        customer, domain = statement.arg(sold.customer_id, "integer"), statement.arg(sold.domain_id, "uuid")
        final = buyer_lead(customer, domain, statement.arg(sold.approved_at, "timestamptz"))
    lead: uuid.UUID | None = await connection.fetchval(statement.text(final), *statement.args)
    return lead
