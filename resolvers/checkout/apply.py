"""apply_sale: one normalized Sale into the reference schema, idempotent and order-proof.

Each state of a transaction has a precedence: its status rank (a refund outranks the approval it undoes),
then the time the platform gives it. The transaction shows the highest state seen so far, so events
delivered twice or out of order end in the state they would have reached in order. Every state is kept
in transaction_status_history. Rows are locked customer -> products -> transaction, always in that order.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from validate_docbr import CNPJ, CPF

from models import (
    Commission,
    Customer,
    Offer,
    OfferSnapshot,
    PaymentAttempt,
    PaymentType,
    Product,
    Subscription,
    Transaction,
    TransactionItem,
    TransactionStatus,
    TransactionStatusChange,
    TransactionUtm,
)
from models.enums import SaleStatus
from resolvers.checkout.loop import close_the_loop
from resolvers.checkout.shape import Buyer, Sale
from resolvers.personal_data import InvalidPersonalData, email_lookup_hash, normalize_email, normalize_phone

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


def _email(raw: str) -> str:
    try:
        return normalize_email(raw)
    except InvalidPersonalData:
        return raw.strip().lower()  # a sale is kept even when its e-mail is odd


def _phone(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        return normalize_phone(raw)
    except InvalidPersonalData:
        return raw.strip()[:50]


async def _customer(session: AsyncSession, buyer: Buyer) -> int:
    """Matched by e-mail hash, then by document; details missing so far are filled in."""
    email = _email(buyer.email)
    document, kind, valid = document_of(buyer.document)
    found = await session.scalar(
        select(Customer.id).where(Customer.hashed_email == email_lookup_hash(email)).limit(1)
    )
    if found is None and document is not None:
        found = await session.scalar(
            select(Customer.id).where(Customer.document == document).order_by(Customer.id).limit(1)
        )
    values = {
        "name": None if buyer.name is None else buyer.name.strip()[:255] or None,
        "phone": _phone(buyer.phone),
        "document": document,
        "document_type": kind,
        "document_valid": valid,
    }
    if found is None:
        # A buyer's first sales may race: one inserts, the others wait for it, then read its id.
        created = await session.scalar(
            insert(Customer)
            .values(email=email, **values)
            .on_conflict_do_nothing(index_elements=["email"])
            .returning(Customer.id)
        )
        if created is not None:
            return int(created)
        found = await session.scalar(select(Customer.id).where(Customer.email == email))
        assert found is not None
    fill = {k: func.coalesce(getattr(Customer, k), v) for k, v in values.items() if v is not None}
    if fill:
        # Only a customer with a gap is written (and locked): sales of one buyer do not queue.
        gaps = or_(*(getattr(Customer, k).is_(None) for k in fill))
        await session.execute(update(Customer).where(Customer.id == found, gaps).values(**fill))
    return int(found)


async def _products(session: AsyncSession, sale: Sale) -> dict[str, int]:
    """Each product's id; written (and locked) only when new or renamed, so its sales do not queue."""
    ids: dict[str, int] = {}
    for item in sorted(sale.items, key=lambda i: i.external_id):
        name = item.name.strip()[:255] or item.external_id
        key = (Product.platform == sale.platform, Product.external_id == item.external_id)
        created = await session.scalar(
            insert(Product)
            .values(platform=sale.platform, external_id=item.external_id, name=name)
            .on_conflict_do_nothing(index_elements=["platform", "external_id"])
            .returning(Product.id)
        )
        if created is None:
            known = (await session.execute(select(Product.id, Product.name).where(*key))).one()
            created = known.id
            if known.name != name:
                await session.execute(update(Product).where(Product.id == known.id).values(name=name))
        ids[item.external_id] = int(created)
    return ids


async def _offer(session: AsyncSession, sale: Sale, product: int) -> str:
    """The offer's current terms (a price change updates them); returns its offer_id."""
    terms = sale.offer
    code = None if terms is None else terms.code
    offer_id = f"{sale.platform}:{sale.items[0].external_id}:{code or 'default'}"[:100]
    price = sale.amount if terms is None or terms.price is None else terms.price
    name = ((None if terms is None else terms.name) or code or sale.items[0].name)[:255]
    created = await session.scalar(
        insert(Offer)
        .values(
            product_id=product, offer_id=offer_id, code=code, name=name, price=price, currency=sale.currency
        )
        .on_conflict_do_nothing(index_elements=["offer_id"])
        .returning(Offer.id)
    )
    if created is None:
        # Written (and locked) only when its terms change, so the offer's sales do not queue.
        await session.execute(
            update(Offer)
            .where(Offer.offer_id == offer_id, or_(Offer.price != price, Offer.name != name))
            .values(price=price, name=name)
        )
    return offer_id


def _wins(sale: Sale, row: Transaction, current: SaleStatus) -> bool:
    """Whether this state outranks the one the transaction shows (rank, then time, then name)."""
    mine = (STATUS_RANK[sale.status], sale.occurred_at, sale.status_detail)
    theirs = (STATUS_RANK[current], row.status_at or row.order_date, row.status_detail or "")
    return mine > theirs


async def _subscription(session: AsyncSession, sale: Sale, customer: int, product: int) -> int | None:
    terms = sale.subscription
    if terms is None:
        return None
    row = insert(Subscription).values(
        platform=sale.platform,
        subscription_id=terms.subscription_id[:100],
        customer_id=customer,
        product_id=product,
        plan_id=terms.plan_id,
        plan_name=terms.plan_name,
        status=terms.status,
        started_at=terms.started_at,
        next_charge_at=terms.next_charge_at,
    )
    created = await session.scalar(
        row.on_conflict_do_nothing(index_elements=["platform", "subscription_id"]).returning(Subscription.id)
    )
    if created is not None:
        return int(created)
    known = (
        await session.scalars(
            select(Subscription).where(
                Subscription.platform == sale.platform,
                Subscription.subscription_id == terms.subscription_id[:100],
            )
        )
    ).one()
    latest = max((t for t in (known.next_charge_at, terms.next_charge_at) if t is not None), default=None)
    wanted = {
        "plan_id": known.plan_id or terms.plan_id,
        "plan_name": known.plan_name or terms.plan_name,
        "started_at": known.started_at or terms.started_at,
        "status": terms.status or known.status,
        "next_charge_at": latest,
    }
    # Written (and locked) only when something changes: a subscription's charges do not queue.
    if any(getattr(known, k) != v for k, v in wanted.items()):
        await session.execute(update(Subscription).where(Subscription.id == known.id).values(**wanted))
    return known.id


def _tracking_source(sale: Sale) -> str | None:
    t = sale.tracking
    if t is None:
        return None
    value = t.src or t.sck or t.xcod or t.utm_source
    return None if value is None else value[:255]


async def apply_sale(session: AsyncSession, sale: Sale, event_id: int | None = None) -> AppliedSale:
    """Write one sale inside the caller's transaction; SaleError (nothing written) when it cannot be held.

    Idempotent: the same sale again changes nothing. Order-proof: see the module docstring. A paid purchase
    of a known lead registers its offline conversion, and a refund adjusts it (resolvers.checkout.loop).
    `event_id` links the status history to the raw checkout event it came from.
    """
    check_sale(sale)
    customer = await _customer(session, sale.buyer)
    products = await _products(session, sale)
    main_product = products[sale.items[0].external_id]
    offer_id = await _offer(session, sale, main_product)
    subscription = await _subscription(session, sale, customer, main_product)
    codes = {row.code: row.id for row in (await session.execute(select(TransactionStatus))).scalars()}
    status_id = codes[sale.status.value]
    values = {
        "transaction_id": sale.transaction_id,
        "platform": sale.platform,
        "customer_id": customer,
        "status_id": status_id,
        "offer_price": sale.amount,
        "currency": sale.currency,
        "order_date": sale.order_date,
        "tracking_source": _tracking_source(sale),
        "domain_id": sale.domain_id,
        "approved_at": sale.approved_at,
        "status_at": sale.occurred_at,
        "status_detail": sale.status_detail[:50],
        "parent_transaction_id": sale.parent_transaction_id,
        "subscription_id": subscription,
        "charge_number": None if sale.subscription is None else sale.subscription.charge_number,
    }
    created_id = await session.scalar(
        insert(Transaction)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["transaction_id", "platform"])
        .returning(Transaction.id)
    )
    previous: SaleStatus | None = None
    final = sale.status
    if created_id is None:
        row = (
            await session.scalars(
                select(Transaction)
                .where(
                    Transaction.transaction_id == sale.transaction_id, Transaction.platform == sale.platform
                )
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).one()
        tx = row.id
        by_id = {v: SaleStatus(k) for k, v in codes.items() if k in SaleStatus._value2member_map_}
        previous = by_id[row.status_id]
        wins = _wins(sale, row, previous)
        final = sale.status if wins else previous
        merged: dict[str, Any] = {
            "approved_at": func.least(Transaction.approved_at, sale.approved_at),
            "order_date": func.least(Transaction.order_date, sale.order_date),
            "domain_id": func.coalesce(Transaction.domain_id, sale.domain_id),
            "subscription_id": func.coalesce(Transaction.subscription_id, subscription),
        }
        if wins:
            shown = {k: values[k] for k in ("customer_id", "status_id", "offer_price", "currency",
                                             "status_at", "status_detail")}  # fmt: skip
            for key in ("tracking_source", "parent_transaction_id", "charge_number"):
                if values[key] is not None:
                    shown[key] = values[key]
            merged.update(shown)
        await session.execute(update(Transaction).where(Transaction.id == tx).values(**merged))
    else:
        tx = created_id
        wins = True
    await _items(session, sale, tx, products, wins)
    await session.execute(
        insert(TransactionStatusChange)
        .values(
            transaction_id=tx,
            status_id=status_id,
            status_detail=sale.status_detail[:50],
            occurred_at=sale.occurred_at,
            event_id=event_id,
        )
        .on_conflict_do_nothing(index_elements=["transaction_id", "status_detail", "occurred_at"])
    )
    await _history(session, sale, tx, offer_id)
    await _commissions(session, sale, tx, wins)
    await close_the_loop(session, tx, final)
    return AppliedSale(transaction=tx, created=created_id is not None, status=final, previous_status=previous,
                       customer=customer)  # fmt: skip


async def _items(session: AsyncSession, sale: Sale, tx: int, products: dict[str, int], wins: bool) -> None:
    for item in sale.items:
        statement = insert(TransactionItem).values(
            transaction_id=tx,
            product_id=products[item.external_id],
            quantity=item.quantity,
            unit_price=item.unit_price,
        )
        if wins:
            statement = statement.on_conflict_do_update(
                index_elements=["transaction_id", "product_id"],
                set_={"quantity": statement.excluded.quantity, "unit_price": statement.excluded.unit_price},
            )
        else:
            statement = statement.on_conflict_do_nothing(index_elements=["transaction_id", "product_id"])
        await session.execute(statement)


async def _insert_once(session: AsyncSession, model: type, tx: int, values: dict[str, object]) -> None:
    """Insert the row unless the transaction (locked by the caller) already has one just like it."""
    column = model.transaction_id  # type: ignore[attr-defined]
    same = [column == tx, *(getattr(model, k).is_not_distinct_from(v) for k, v in values.items())]
    if not await session.scalar(select(exists().where(*same))):
        await session.execute(insert(model).values(transaction_id=tx, **values))


async def _history(session: AsyncSession, sale: Sale, tx: int, offer_id: str) -> None:
    """Payment attempt, UTMs and offer snapshot, each once per distinct content."""
    p = sale.payment
    if p is not None:
        payment_type = p.payment_type or _payment_type(sale)
        await _insert_once(
            session,
            PaymentAttempt,
            tx,
            {
                "payment_method": p.method,
                "payment_type": payment_type,
                "installments": p.installments,
                "value": p.value,
                "payment_date": p.at,
                "card_brand": p.card_brand,
                "card_last_digits": p.card_last4,
                "bank_slip_barcode": p.boleto_line,
                "bank_slip_url": p.boleto_url,
                "bank_slip_expires_at": p.boleto_expires_at,
                "pix_code": p.pix_code,
                "pix_expires_at": p.pix_expires_at,
            },
        )
    t = sale.tracking
    if t is not None and any(vars(t).values()):
        await _insert_once(
            session, TransactionUtm, tx, {k: (v or None) and v[:255] for k, v in vars(t).items()}
        )
    terms = sale.offer
    if terms is not None:
        await _insert_once(
            session,
            OfferSnapshot,
            tx,
            {
                "code": terms.code,
                "offer_id": offer_id,
                "offer_name": (terms.name or terms.code or sale.items[0].name)[:255],
                "price": terms.price,
                "coupon_code": terms.coupon_code,
            },
        )


def _payment_type(sale: Sale) -> PaymentType:
    if sale.subscription is not None:
        first = sale.subscription.charge_number in (None, 1)
        return PaymentType.SUBSCRIPTION if first else PaymentType.RECURRING
    installments = None if sale.payment is None else sale.payment.installments
    return PaymentType.INSTALLMENTS if (installments or 1) > 1 else PaymentType.SINGLE


async def _commissions(session: AsyncSession, sale: Sale, tx: int, wins: bool) -> None:
    """The winning state's split replaces the stored one; a late older state only fills an empty one."""
    if not sale.commissions:
        return
    if not wins and await session.scalar(select(exists().where(Commission.transaction_id == tx))):
        return
    await session.execute(delete(Commission).where(Commission.transaction_id == tx))
    rows = [
        {
            "transaction_id": tx,
            "source": c.source,
            "amount": c.amount,
            "currency": c.currency,
            "recipient_name": None if c.recipient is None else c.recipient[:255],
        }
        for c in sale.commissions
    ]
    await session.execute(insert(Commission), rows)
