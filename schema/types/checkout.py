"""Checkout platforms' sales: customers, products, offers, transactions, statuses, commissions and costs."""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

import models
from resolvers import orderings
from resolvers.context import Info
from resolvers.pages import first_row
from schema.node import Node, integer_key, node_type
from schema.personal import personal
from schema.relations import lazy, to_many, to_one

HERE = "schema.types.checkout"
HISTORY = "schema.types.checkout_history"
LEADS = "schema.types.leads"

if TYPE_CHECKING:
    from schema.types.leads import Lead


CREATED = "When the row was recorded."
UPDATED = "When the row last changed."


async def customer_of_email_hash(info: Info, hashed_email: str | None) -> models.Customer | None:
    """The customer with this e-mail hash; if addresses differ only by case, the oldest one."""
    return await first_row(
        info, models.Customer, (models.Customer.hashed_email,), hashed_email, orderings.CUSTOMERS
    )


@node_type(models.Customer, models.Customer.id, "A buyer on a checkout platform (Hotmart, Kiwify...).")
class Customer(Node):
    customer_id = integer_key("The customer's id (customers.id).")

    name: str | None = personal("Full name.")
    email: str | None = personal("E-mail address.")
    phone: str | None = personal("Phone number.")
    document: str | None = personal("CPF or CNPJ.")
    hashed_email: str | None = personal(
        "SHA-256 of the trimmed, lowercased e-mail; equals this person's leads' hashedEmail."
    )
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    transactions = to_many(
        models.Transaction.customer_id,
        "id",
        lazy("Transaction", HERE),
        orderings.TRANSACTIONS,
        "The customer's purchases, latest order first.",
    )
    leads = to_many(
        models.Lead.hashed_email,
        "hashed_email",
        lazy("Lead", LEADS),
        orderings.LEADS,
        "Leads with the same hashed e-mail (the same person), latest first.",
    )


@node_type(models.Product, models.Product.id, "A product sold on a checkout platform.")
class Product(Node):
    product_id = integer_key("The product's id (products.id).")

    name: str = strawberry.field(description="Product name.")
    description: str | None = strawberry.field(description="Product description.")
    platform: str | None = strawberry.field(description="Checkout platform (hotmart, kiwify...).")
    external_id: str | None = strawberry.field(description="The platform's product id.")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    offers = to_many(
        models.Offer.product_id, "id", lazy("Offer", HERE), orderings.OFFERS, "The product's offers."
    )
    transaction_items = to_many(
        models.TransactionItem.product_id,
        "id",
        lazy("TransactionItem", HERE),
        orderings.TRANSACTION_ITEMS,
        "Order lines that sold this product.",
    )


@node_type(models.Offer, models.Offer.id, "A way a product is sold: price, conditions, current name.")
class Offer(Node):
    offer_id: str = strawberry.field(description="The platform's offer id (e.g. OFFER123).")

    internal_id = integer_key("The offer's internal id (offers.id).")

    product_id: int = strawberry.field(description="The product's productId.")
    code: str | None = strawberry.field(description="Offer code (e.g. BASICCOURSE), shared by variants.")
    name: str = strawberry.field(description="Current offer name (snapshots keep the name at sale time).")
    description: str | None = strawberry.field(description="Current offer description.")
    price: Decimal = strawberry.field(description="Current price.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    is_active: bool = strawberry.field(description="Whether the offer is on sale.")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    product = to_one(models.Product.id, "product_id", lazy("Product", HERE), "The product.")
    snapshots = to_many(
        models.OfferSnapshot.offer_id,
        "offer_id",
        lazy("OfferSnapshot", HISTORY),
        orderings.OFFER_SNAPSHOTS,
        "The offer as it was in each sale.",
    )


@node_type(models.TransactionStatus, models.TransactionStatus.id, "Where a transaction stands (approved...).")
class TransactionStatus(Node):
    status_id = integer_key("The status's id (transaction_statuses.id).")

    code: str = strawberry.field(description="Stable code (approved, pending, refunded...).")
    status: str = strawberry.field(description="Display name.")
    description: str | None = strawberry.field(description="What the status means.")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    transactions = to_many(
        models.Transaction.status_id,
        "id",
        lazy("Transaction", HERE),
        orderings.TRANSACTIONS,
        "Transactions in this status, latest order first.",
    )


@node_type(models.Transaction, models.Transaction.id, "A purchase reported by a checkout platform.")
class Transaction(Node):
    transaction_id: str = strawberry.field(
        description="The platform's transaction id (e.g. TX987654); unique with platform."
    )

    internal_id = integer_key("The transaction's internal id (transactions.id).")

    platform: str = strawberry.field(description="Checkout platform (hotmart, kiwify...).")
    customer_id: int = strawberry.field(description="The buyer's customerId.")
    status_id: int = strawberry.field(description="The status's statusId.")
    offer_price: Decimal = strawberry.field(description="Price of the order.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    order_date: dt.datetime = strawberry.field(description="When the order was placed.")
    tracking_source: str | None = strawberry.field(description="The platform's tracking source (affiliate).")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    customer = to_one(models.Customer.id, "customer_id", lazy("Customer", HERE), "The buyer.")
    status = to_one(models.TransactionStatus.id, "status_id", lazy("TransactionStatus", HERE), "The status.")
    items = to_many(
        models.TransactionItem.transaction_id,
        "id",
        lazy("TransactionItem", HERE),
        orderings.TRANSACTION_ITEMS,
        "Order lines: products, quantities, unit prices.",
    )
    payments = to_many(
        models.PaymentAttempt.transaction_id,
        "id",
        lazy("PaymentAttempt", HISTORY),
        orderings.PAYMENTS,
        "Every payment attempt, declines included.",
    )
    utm_history = to_many(
        models.TransactionUtm.transaction_id,
        "id",
        lazy("TransactionUtm", HISTORY),
        orderings.TRANSACTION_UTMS,
        "UTM parameters captured for this sale, oldest first.",
    )
    invoices = to_many(
        models.Invoice.transaction_id, "id", lazy("Invoice", HISTORY), orderings.INVOICES, "Tax documents."
    )
    offer_snapshots = to_many(
        models.OfferSnapshot.transaction_id,
        "id",
        lazy("OfferSnapshot", HISTORY),
        orderings.OFFER_SNAPSHOTS,
        "The offer as it was at sale time.",
    )
    commissions = to_many(
        models.Commission.transaction_id,
        "id",
        lazy("Commission", HERE),
        orderings.COMMISSIONS,
        "How the sale was split: producer, co-producer, affiliate, marketplace.",
    )

    @strawberry.field(description="The buyer's most recent lead (same hashed e-mail); null when none.")
    async def lead(
        self, root: strawberry.Parent[models.Transaction], info: Info
    ) -> Annotated["Lead", strawberry.lazy(LEADS)] | None:
        loaders = info.context.loaders
        customer = await loaders.one(models.Customer, models.Customer.id).load(root.customer_id)
        if customer is None or customer.hashed_email is None:
            return None
        lead = await first_row(
            info, models.Lead, (models.Lead.hashed_email,), customer.hashed_email, orderings.LEADS
        )
        return cast("Lead | None", lead)


@node_type(models.TransactionItem, models.TransactionItem.id, "One product line of a transaction.")
class TransactionItem(Node):
    item_id = integer_key("The line's id (transaction_items.id).")

    transaction_internal_id = integer_key("The transaction's internalId.", "transaction_id")
    product_id: int = strawberry.field(description="The product's productId.")
    quantity: int = strawberry.field(description="Units sold.")
    unit_price: Decimal = strawberry.field(description="Price of one unit.")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    transaction = to_one(
        models.Transaction.id, "transaction_id", lazy("Transaction", HERE), "The transaction."
    )
    product = to_one(models.Product.id, "product_id", lazy("Product", HERE), "The product.")


@node_type(models.Commission, models.Commission.id, "One share of a sale paid to a party.")
class Commission(Node):
    commission_id = integer_key("The commission's id (platform_commission.id).")

    transaction_internal_id = integer_key("The transaction's internalId.", "transaction_id")
    source: str = strawberry.field(description="Who is paid: PRODUCER, COPRODUCER, AFFILIATE or MARKETPLACE.")
    amount: Decimal = strawberry.field(description="Amount of the share.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    recipient_name: str | None = personal("Name of the party paid.")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)

    transaction = to_one(
        models.Transaction.id, "transaction_id", lazy("Transaction", HERE), "The transaction."
    )


@node_type(models.MarketingCost, models.MarketingCost.id, "Ad spend of one campaign on one day (or period).")
class MarketingCost(Node):
    cost_id = integer_key("The cost's id (marketing_costs.id).")

    cost_date: dt.date = strawberry.field(description="Day, or first day of the period, the cost refers to.")
    source: str = strawberry.field(description="The utm_source it matches.")
    medium: str = strawberry.field(description="The utm_medium it matches.")
    campaign: str = strawberry.field(description="The utm_campaign it matches.")
    cost: Decimal = strawberry.field(description="Amount spent.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    created_at: dt.datetime = strawberry.field(description=CREATED)
    updated_at: dt.datetime = strawberry.field(description=UPDATED)
