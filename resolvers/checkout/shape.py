"""The normalized sale every checkout source is mapped to: webhooks, ingestTransaction, CSV imports.

Money is Decimal in major units (R$ 52,98 is Decimal("52.98")); times are aware datetimes.
`apply_sale` (resolvers.checkout.apply) writes one Sale into the reference schema.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from models.checkout_history import PaymentMethod, PaymentType
from models.enums import SaleStatus


@dataclass(frozen=True)
class Buyer:
    email: str
    name: str | None = None
    phone: str | None = None
    # CPF or CNPJ as sent (punctuation is stripped when stored); a bad check digit is flagged, never refused.
    document: str | None = None


@dataclass(frozen=True)
class Item:
    """A product of the sale; the first item is the main product."""

    external_id: str  # the platform's product id (products.external_id)
    name: str
    unit_price: Decimal
    quantity: int = 1


@dataclass(frozen=True)
class OfferTerms:
    """The offer as it was sold: a different price or name than last time makes a new snapshot."""

    code: str | None = None  # the platform's offer code (Hotmart offer.code)
    name: str | None = None
    price: Decimal | None = None  # list price before coupons
    coupon_code: str | None = None


@dataclass(frozen=True)
class Payment:
    """One payment attempt: card brand and last 4 digits only, never a card number."""

    method: PaymentMethod | None = None
    payment_type: PaymentType | None = None
    installments: int | None = None
    value: Decimal | None = None
    at: dt.datetime | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    pix_code: str | None = None
    pix_expires_at: dt.datetime | None = None
    boleto_line: str | None = None
    boleto_url: str | None = None
    boleto_expires_at: dt.datetime | None = None


@dataclass(frozen=True)
class CommissionShare:
    source: str  # PRODUCER, COPRODUCER, AFFILIATE or MARKETPLACE
    amount: Decimal
    currency: str = "BRL"
    recipient: str | None = None


@dataclass(frozen=True)
class Tracking:
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    src: str | None = None
    sck: str | None = None
    xcod: str | None = None


@dataclass(frozen=True)
class SubscriptionTerms:
    """The subscription a charge belongs to: a renewal is a new transaction of the same subscription."""

    subscription_id: str  # the platform's subscription (subscriber) id
    plan_id: str | None = None
    plan_name: str | None = None
    status: str | None = None
    charge_number: int | None = None  # 1 for the first charge
    started_at: dt.datetime | None = None
    next_charge_at: dt.datetime | None = None


@dataclass(frozen=True)
class Sale:
    """One state of one platform transaction, as an event or an import row reports it."""

    platform: str  # 'hotmart', 'kiwify', or another checkout's name
    transaction_id: str  # the platform's transaction (order) id
    status: SaleStatus
    status_detail: str  # the platform's own event or status, kept in the history
    occurred_at: dt.datetime  # when this state happened: orders events that arrive out of order
    order_date: dt.datetime
    amount: Decimal  # what the buyer pays
    buyer: Buyer
    items: tuple[Item, ...]
    currency: str = "BRL"
    approved_at: dt.datetime | None = None
    offer: OfferTerms | None = None
    payment: Payment | None = None
    commissions: tuple[CommissionShare, ...] = ()
    tracking: Tracking | None = None
    subscription: SubscriptionTerms | None = None
    parent_transaction_id: str | None = None  # an order bump: the purchase it was added to
    domain_id: uuid.UUID | None = None  # whose sale (the checkout account's domain); None when unknown
    extra: dict[str, str] = field(default_factory=dict)  # platform details worth keeping (offer ref, ...)
