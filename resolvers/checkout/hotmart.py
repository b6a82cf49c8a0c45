"""Hotmart postback v2.0.0 -> ParsedEvent: decimal major units, times in epoch milliseconds.

Events and fields: docs/research §3.1 (Hotmart's own test postback is the reference payload).
"""

from decimal import Decimal
from typing import Any

from models.checkout_history import PaymentMethod
from models.enums import SaleStatus
from resolvers.checkout.payloads import ParsedEvent, PayloadError, dig, epoch_ms, money, required_text, text
from resolvers.checkout.shape import (
    Buyer,
    CommissionShare,
    Item,
    OfferTerms,
    Payment,
    Sale,
    SubscriptionTerms,
    Tracking,
)

PLATFORM = "hotmart"

# COMPLETE (the warranty period ended) and PROTEST (a refund request) keep the sale approved; the history
# shows them. Other events (cart abandonment, subscription and members-area news) are kept, not applied.
EVENT_STATUS = {
    "PURCHASE_APPROVED": SaleStatus.APPROVED,
    "PURCHASE_COMPLETE": SaleStatus.APPROVED,
    "PURCHASE_PROTEST": SaleStatus.APPROVED,
    "PURCHASE_BILLET_PRINTED": SaleStatus.WAITING_PAYMENT,
    "PURCHASE_DELAYED": SaleStatus.WAITING_PAYMENT,
    "PURCHASE_CANCELED": SaleStatus.CANCELED,
    "PURCHASE_EXPIRED": SaleStatus.EXPIRED,
    "PURCHASE_REFUNDED": SaleStatus.REFUNDED,
    "PURCHASE_CHARGEBACK": SaleStatus.CHARGEBACK,
}

PAYMENT_METHODS = {
    "CREDIT_CARD": PaymentMethod.CREDIT_CARD,
    "BILLET": PaymentMethod.BOLETO,
    "FINANCED_BILLET": PaymentMethod.BOLETO,
    "PIX": PaymentMethod.PIX,
    "PAYPAL": PaymentMethod.PAYPAL,
    "PAYPAL_INTERNACIONAL": PaymentMethod.PAYPAL,
    "GOOGLE_PAY": PaymentMethod.GOOGLE_PAY,
    "WALLET": PaymentMethod.ACCOUNT_BALANCE,
    "HOTCARD": PaymentMethod.ACCOUNT_BALANCE,
    "DIRECT_BANK_TRANSFER": PaymentMethod.BANK_TRANSFER,
    "MANUAL_TRANSFER": PaymentMethod.BANK_TRANSFER,
    "DIRECT_DEBIT": PaymentMethod.BANK_TRANSFER,
}

# ADDON shares have no place among the reference schema's commission sources.
COMMISSION_SOURCES = frozenset({"PRODUCER", "COPRODUCER", "AFFILIATE", "MARKETPLACE"})


def token_of(payload: Any) -> str | None:
    """The `hottok` of the body, used when the X-HOTMART-HOTTOK header is absent."""
    return text(dig(payload, "hottok"), 500)


def parse(payload: Any) -> ParsedEvent:
    """PayloadError when the body is not a Hotmart postback (envelope id, event, data)."""
    if not isinstance(payload, dict):
        raise PayloadError("The body must be a JSON object (Hotmart postback v2.0.0)")
    event_id = required_text(payload, "id")
    event = required_text(payload, "event").upper()
    if not isinstance(payload.get("data"), dict):
        raise PayloadError("data must be an object")
    status = EVENT_STATUS.get(event)
    if status is None:
        return ParsedEvent(event_id, event, None)
    return ParsedEvent(event_id, event, _sale(payload, event, status))


def _sale(payload: dict[str, Any], event: str, status: SaleStatus) -> Sale:
    data = payload["data"]
    purchase = dig(data, "purchase")
    transaction = required_text(payload, "data", "purchase", "transaction")
    occurred = epoch_ms(payload.get("creation_date"), "creation_date")
    order_date = epoch_ms(dig(purchase, "order_date"), "data.purchase.order_date") or occurred
    if occurred is None or order_date is None:
        raise PayloadError("creation_date is missing")
    approved = epoch_ms(dig(purchase, "approved_date"), "data.purchase.approved_date")
    amount = money(dig(purchase, "price", "value"), "data.purchase.price.value")
    if amount is None:
        raise PayloadError("data.purchase.price.value is missing")
    currency = (text(dig(purchase, "price", "currency_value"), 3) or "BRL").upper()
    product_id = required_text(payload, "data", "product", "id")
    product_name = text(dig(data, "product", "name")) or product_id
    bump = dig(purchase, "order_bump")
    parent = text(dig(bump, "parent_purchase_transaction"), 100) if dig(bump, "is_order_bump") else None
    return Sale(
        platform=PLATFORM,
        transaction_id=transaction[:100],
        status=status,
        status_detail=event.removeprefix("PURCHASE_"),
        occurred_at=occurred,
        order_date=order_date,
        approved_at=approved if status is not SaleStatus.WAITING_PAYMENT else None,
        amount=amount,
        currency=currency,
        buyer=_buyer(dig(data, "buyer")),
        items=(Item(external_id=product_id[:100], name=product_name, unit_price=amount),),
        offer=_offer(purchase),
        payment=_payment(purchase, amount, approved or order_date),
        commissions=_commissions(data),
        tracking=_tracking(purchase),
        subscription=_subscription(data, purchase),
        parent_transaction_id=parent,
    )


def _buyer(buyer: Any) -> Buyer:
    phone = text(dig(buyer, "checkout_phone"), 50)
    return Buyer(
        email=required_text({"data": {"buyer": buyer}}, "data", "buyer", "email"),
        name=text(dig(buyer, "name")),
        phone=phone,
        document=text(dig(buyer, "document"), 30),
    )


def _offer(purchase: Any) -> OfferTerms | None:
    code = text(dig(purchase, "offer", "code"), 100)
    listed = money(dig(purchase, "original_offer_price", "value"), "data.purchase.original_offer_price.value")
    if code is None and listed is None:
        return None
    return OfferTerms(code=code, price=listed, coupon_code=text(dig(purchase, "offer", "coupon_code"), 100))


def _payment(purchase: Any, amount: Decimal, at: Any) -> Payment | None:
    payment = dig(purchase, "payment")
    if not isinstance(payment, dict):
        return None
    kind = text(payment.get("type"), 50)
    installments = payment.get("installments_number")
    return Payment(
        method=None if kind is None else PAYMENT_METHODS.get(kind.upper(), PaymentMethod.OTHER),
        installments=installments if isinstance(installments, int) and installments >= 1 else None,
        value=amount,
        at=at,
        pix_code=text(payment.get("pix_code"), 1000),
        pix_expires_at=epoch_ms(
            payment.get("pix_expiration_date"), "data.purchase.payment.pix_expiration_date"
        ),
        boleto_line=text(payment.get("billet_barcode"), 200),
        boleto_url=text(payment.get("billet_url"), 2000),
    )


def _commissions(data: Any) -> tuple[CommissionShare, ...]:
    raw = dig(data, "commissions")
    if not isinstance(raw, list):
        return ()
    affiliates = dig(data, "affiliates")
    affiliate = text(dig(affiliates[0], "name")) if isinstance(affiliates, list) and affiliates else None
    names = {"PRODUCER": text(dig(data, "producer", "name")), "AFFILIATE": affiliate}
    shares = []
    for i, entry in enumerate(raw):
        source = (text(dig(entry, "source"), 20) or "").upper()
        amount = money(dig(entry, "value"), f"data.commissions.{i}.value")
        if source not in COMMISSION_SOURCES or amount is None or amount < 0:
            continue
        currency = (text(dig(entry, "currency_value"), 3) or "BRL").upper()
        shares.append(CommissionShare(source, amount, currency, names.get(source)))
    return tuple(shares)


def _tracking(purchase: Any) -> Tracking | None:
    origin = dig(purchase, "origin")
    values = {key: text(dig(origin, key)) for key in ("src", "sck", "xcod")}
    return Tracking(**values) if any(values.values()) else None


def _subscription(data: Any, purchase: Any) -> SubscriptionTerms | None:
    code = text(dig(data, "subscription", "subscriber", "code"), 100)
    if code is None:
        return None
    number = dig(purchase, "recurrence_number")
    return SubscriptionTerms(
        subscription_id=code,
        plan_id=text(dig(data, "subscription", "plan", "id"), 100),
        plan_name=text(dig(data, "subscription", "plan", "name")),
        status=text(dig(data, "subscription", "status"), 50),
        charge_number=number if isinstance(number, int) and number >= 1 else None,
        next_charge_at=epoch_ms(dig(purchase, "date_next_charge"), "data.purchase.date_next_charge"),
    )
