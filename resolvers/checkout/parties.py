"""Who and what a sale is about: its customer, products, offer and subscription, one statement each.

Plain asyncpg on the sale's own connection and transaction (apply_sale). Each row is written (and so
locked) only when it is new or changed, so the sales of one buyer or one product do not queue. A row a
concurrent sale inserts after this statement's snapshot is found by running the statement again.
"""

from typing import Any

from resolvers.checkout.shape import Buyer, Sale
from resolvers.personal_data import InvalidPersonalData, email_lookup_hash, normalize_email, normalize_phone

# Matched by e-mail hash, then by document; a new buyer is inserted; gaps in a known one are filled.
CUSTOMER = """
WITH by_email AS (
    SELECT id FROM customers WHERE hashed_email = $1::varchar LIMIT 1
), by_document AS (
    SELECT id FROM customers
    WHERE $4::varchar IS NOT NULL AND document = $4::varchar AND NOT EXISTS (SELECT FROM by_email)
    ORDER BY id LIMIT 1
), found AS (
    SELECT id FROM by_email UNION ALL SELECT id FROM by_document
), created AS (
    INSERT INTO customers (email, name, phone, document, document_type, document_valid)
    SELECT $2::varchar, $3::varchar, $5::varchar, $4::varchar, $6::varchar, $7::boolean
    WHERE NOT EXISTS (SELECT FROM found)
    ON CONFLICT (email) DO NOTHING
    RETURNING id
), filled AS (
    UPDATE customers c
    SET name = coalesce(c.name, $3::varchar), phone = coalesce(c.phone, $5::varchar),
        document = coalesce(c.document, $4::varchar), document_type = coalesce(c.document_type, $6::varchar),
        document_valid = coalesce(c.document_valid, $7::boolean)
    FROM found
    WHERE c.id = found.id AND (
        (c.name IS NULL AND $3::varchar IS NOT NULL) OR (c.phone IS NULL AND $5::varchar IS NOT NULL)
        OR (c.document IS NULL AND $4::varchar IS NOT NULL)
        OR (c.document_type IS NULL AND $6::varchar IS NOT NULL)
        OR (c.document_valid IS NULL AND $7::boolean IS NOT NULL))
)
SELECT id FROM created UNION ALL SELECT id FROM found
"""

PRODUCT = """
WITH created AS (
    INSERT INTO products (platform, external_id, name) VALUES ($1::varchar, $2::varchar, $3::varchar)
    ON CONFLICT (platform, external_id) DO NOTHING
    RETURNING id
), renamed AS (
    UPDATE products SET name = $3::varchar
    WHERE platform = $1::varchar AND external_id = $2::varchar AND name <> $3::varchar
)
SELECT id FROM created
UNION ALL SELECT id FROM products WHERE platform = $1::varchar AND external_id = $2::varchar
"""

# The offer's current terms: a price or name change updates them.
OFFER = """
WITH created AS (
    INSERT INTO offers (product_id, offer_id, code, name, price, currency)
    VALUES ($1::integer, $2::varchar, $3::varchar, $4::varchar, $5::numeric, $6::char(3))
    ON CONFLICT (offer_id) DO NOTHING
    RETURNING id
)
UPDATE offers SET price = $5::numeric, name = $4::varchar
WHERE offer_id = $2::varchar AND (price <> $5::numeric OR name <> $4::varchar)
    AND NOT EXISTS (SELECT FROM created)
"""

SUBSCRIPTION = """
WITH created AS (
    INSERT INTO subscriptions (platform, subscription_id, customer_id, product_id, plan_id, plan_name, status,
                               started_at, next_charge_at)
    VALUES ($1::varchar, $2::varchar, $3::integer, $4::integer, $5::varchar, $6::varchar, $7::varchar,
            $8::timestamptz, $9::timestamptz)
    ON CONFLICT (platform, subscription_id) DO NOTHING
    RETURNING id
)
SELECT id, true AS created, NULL AS plan_id, NULL AS plan_name, NULL AS status,
       NULL::timestamptz AS started_at, NULL::timestamptz AS next_charge_at
FROM created
UNION ALL
SELECT id, false, plan_id, plan_name, status, started_at, next_charge_at
FROM subscriptions WHERE platform = $1::varchar AND subscription_id = $2::varchar
"""

UPDATE_SUBSCRIPTION = """
UPDATE subscriptions
SET plan_id = $2::varchar, plan_name = $3::varchar, started_at = $4::timestamptz, status = $5::varchar,
    next_charge_at = $6::timestamptz
WHERE id = $1::integer
"""


async def _first(connection: Any, statement: str, *args: Any) -> Any:
    """The statement's row; once more when a concurrent sale inserted the row after its snapshot."""
    for _ in range(2):
        row = await connection.fetchrow(statement, *args)
        if row is not None:
            return row
    raise LookupError("a row inserted by a concurrent sale cannot be read")


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


async def customer_of(
    connection: Any, buyer: Buyer, document: tuple[str | None, str | None, bool | None]
) -> int:
    """The buyer's customers.id: `document` is document_of(buyer.document)."""
    email = _email(buyer.email)
    name = None if buyer.name is None else buyer.name.strip()[:255] or None
    number, kind, valid = document
    row = await _first(
        connection, CUSTOMER, email_lookup_hash(email), email, name, number, _phone(buyer.phone), kind, valid
    )
    return int(row["id"])


async def products_of(connection: Any, sale: Sale) -> dict[str, int]:
    """Each product's id by external id, locked in external id order."""
    ids: dict[str, int] = {}
    for item in sorted(sale.items, key=lambda i: i.external_id):
        name = item.name.strip()[:255] or item.external_id
        row = await _first(connection, PRODUCT, sale.platform, item.external_id, name)
        ids[item.external_id] = int(row["id"])
    return ids


def offer_id_of(sale: Sale) -> str:
    code = None if sale.offer is None else sale.offer.code
    return f"{sale.platform}:{sale.items[0].external_id}:{code or 'default'}"[:100]


async def write_offer(connection: Any, sale: Sale, product: int) -> str:
    """The offer's current terms; returns its offer_id."""
    terms = sale.offer
    code = None if terms is None else terms.code
    offer_id = offer_id_of(sale)
    price = sale.amount if terms is None or terms.price is None else terms.price
    name = ((None if terms is None else terms.name) or code or sale.items[0].name)[:255]
    await connection.execute(OFFER, product, offer_id, code, name, price, sale.currency)
    return offer_id


async def subscription_of(connection: Any, sale: Sale, customer: int, product: int) -> int | None:
    terms = sale.subscription
    if terms is None:
        return None
    known = await _first(
        connection, SUBSCRIPTION, sale.platform, terms.subscription_id[:100], customer, product,
        terms.plan_id, terms.plan_name, terms.status, terms.started_at, terms.next_charge_at,
    )  # fmt: skip
    if known["created"]:
        return int(known["id"])
    latest = max((t for t in (known["next_charge_at"], terms.next_charge_at) if t is not None), default=None)
    wanted = {
        "plan_id": known["plan_id"] or terms.plan_id,
        "plan_name": known["plan_name"] or terms.plan_name,
        "started_at": known["started_at"] or terms.started_at,
        "status": terms.status or known["status"],
        "next_charge_at": latest,
    }
    # Written (and locked) only when something changes: a subscription's charges do not queue.
    if any(known[k] != v for k, v in wanted.items()):
        await connection.execute(UPDATE_SUBSCRIPTION, known["id"], *wanted.values())
    return int(known["id"])
