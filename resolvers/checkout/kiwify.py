"""Kiwify sales webhook -> ParsedEvent: integer centavos, order times local to São Paulo without an offset.

Events and fields: docs/research §3.2. A renewal is a new order_id of the same subscription_id.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from models.checkout_history import PaymentMethod
from models.enums import SaleStatus
from resolvers.checkout.payloads import ParsedEvent, PayloadError, dig, money, required_text, text
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

PLATFORM = "kiwify"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")

# Both the webhook_event_type values and the panel's trigger names; the rest is kept, not applied.
EVENT_STATUS = {
    "order_approved": SaleStatus.APPROVED,
    "compra_aprovada": SaleStatus.APPROVED,
    "subscription_renewed": SaleStatus.APPROVED,
    "order_rejected": SaleStatus.REFUSED,
    "compra_recusada": SaleStatus.REFUSED,
    "order_refunded": SaleStatus.REFUNDED,
    "compra_reembolsada": SaleStatus.REFUNDED,
    "chargeback": SaleStatus.CHARGEBACK,
    "billet_created": SaleStatus.WAITING_PAYMENT,
    "boleto_gerado": SaleStatus.WAITING_PAYMENT,
    "pix_created": SaleStatus.WAITING_PAYMENT,
    "pix_gerado": SaleStatus.WAITING_PAYMENT,
}
PAYMENT_METHODS = {
    "credit_card": PaymentMethod.CREDIT_CARD,
    "boleto": PaymentMethod.BOLETO,
    "pix": PaymentMethod.PIX,
}
COMMISSION_SOURCES = {"producer": "PRODUCER", "coproducer": "COPRODUCER", "affiliate": "AFFILIATE"}


def unwrap(payload: Any) -> Any:
    """Some deliveries wrap the order as {"order": {...}}."""
    if isinstance(payload, dict) and set(payload) == {"order"} and isinstance(payload["order"], dict):
        return payload["order"]
    return payload


def parse(payload: Any) -> ParsedEvent:
    """PayloadError when the body is not a Kiwify order (order_id, webhook_event_type)."""
    order = unwrap(payload)
    if not isinstance(order, dict):
        raise PayloadError("The body must be a JSON object (a Kiwify order)")
    order_id = required_text(order, "order_id")
    event = required_text(order, "webhook_event_type").lower()
    key = f"{order_id}:{event}"
    status = EVENT_STATUS.get(event)
    if status is None:
        return ParsedEvent(key, event, None)
    return ParsedEvent(key, event, _sale(order, order_id, event, status))


def local_time(value: Any, where: str) -> dt.datetime | None:
    """'YYYY-MM-DD HH:MM[:SS]' in São Paulo time, or ISO 8601 with an offset (inside Subscription)."""
    raw = text(value, 40)
    if raw is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"{where} must be a time like 2025-04-02 05:09") from None
    return moment.replace(tzinfo=SAO_PAULO) if moment.tzinfo is None else moment


def _occurred(order: dict[str, Any], status: SaleStatus) -> dt.datetime | None:
    """The time of this state: Kiwify sends no event time, so the order's matching field stands in."""
    fields = {
        SaleStatus.APPROVED: ("approved_date", "updated_at"),
        SaleStatus.REFUNDED: ("refunded_at", "updated_at"),
        SaleStatus.CHARGEBACK: ("refunded_at", "updated_at"),
    }.get(status, ("updated_at",))
    for name in (*fields, "created_at"):
        moment = local_time(order.get(name), name)
        if moment is not None:
            return moment
    return None


def _sale(order: dict[str, Any], order_id: str, event: str, status: SaleStatus) -> Sale:
    created = local_time(order.get("created_at"), "created_at")
    occurred = _occurred(order, status)
    if created is None or occurred is None:
        raise PayloadError("created_at is missing")
    amount = money(dig(order, "Commissions", "charge_amount"), "Commissions.charge_amount", scale=2)
    if amount is None:
        raise PayloadError("Commissions.charge_amount is missing")
    currency = (text(dig(order, "Commissions", "currency"), 3) or "BRL").upper()
    product_id = required_text(order, "Product", "product_id")
    product_name = text(dig(order, "Product", "product_name")) or product_id
    approved = local_time(order.get("approved_date"), "approved_date")
    return Sale(
        platform=PLATFORM,
        transaction_id=order_id[:100],
        status=status,
        status_detail=event,
        occurred_at=occurred,
        order_date=created,
        approved_at=approved if status is not SaleStatus.WAITING_PAYMENT else None,
        amount=amount,
        currency=currency,
        buyer=_buyer(order),
        items=(Item(external_id=product_id[:100], name=product_name, unit_price=amount),),
        offer=_offer(order),
        payment=_payment(order, amount, approved or created),
        commissions=_commissions(order, currency),
        tracking=_tracking(order),
        subscription=_subscription(order, order_id),
    )


def _buyer(order: dict[str, Any]) -> Buyer:
    customer = order.get("Customer")
    return Buyer(
        email=required_text(order, "Customer", "email"),
        name=text(dig(customer, "full_name")),
        phone=text(dig(customer, "mobile"), 50),
        document=text(dig(customer, "CPF"), 30) or text(dig(customer, "CNPJ"), 30),
    )


def _offer(order: dict[str, Any]) -> OfferTerms | None:
    """Kiwify sends no offer code: the subscription plan stands for the offer when there is one."""
    listed = money(dig(order, "Commissions", "product_base_price"), "Commissions.product_base_price", 2)
    plan = dig(order, "Subscription", "plan")
    code = text(dig(plan, "id"), 100)
    if code is None and listed is None:
        return None
    return OfferTerms(code=code, name=text(dig(plan, "name")), price=listed)


def _payment(order: dict[str, Any], amount: Decimal, at: dt.datetime) -> Payment | None:
    method = text(order.get("payment_method"), 50)
    if method is None:
        return None
    installments = order.get("installments")
    last4 = text(order.get("card_last4digits"), 10)
    return Payment(
        method=PAYMENT_METHODS.get(method.lower(), PaymentMethod.OTHER),
        installments=installments if isinstance(installments, int) and installments >= 1 else None,
        value=amount,
        at=at,
        card_brand=text(order.get("card_type"), 50),
        card_last4=last4 if last4 is not None and len(last4) == 4 and last4.isdigit() else None,
        pix_code=text(order.get("pix_code"), 1000),
        pix_expires_at=local_time(order.get("pix_expiration"), "pix_expiration"),
        boleto_line=text(order.get("boleto_barcode"), 200),
        boleto_url=text(order.get("boleto_URL"), 2000),
        boleto_expires_at=local_time(order.get("boleto_expiry_date"), "boleto_expiry_date"),
    )


def _commissions(order: dict[str, Any], currency: str) -> tuple[CommissionShare, ...]:
    shares = []
    stores = dig(order, "Commissions", "commissioned_stores")
    for i, store in enumerate(stores if isinstance(stores, list) else []):
        source = COMMISSION_SOURCES.get((text(dig(store, "type"), 20) or "").lower())
        amount = money(dig(store, "value"), f"Commissions.commissioned_stores.{i}.value", scale=2)
        if source is not None and amount is not None and amount >= 0:
            shares.append(CommissionShare(source, amount, currency, text(dig(store, "custom_name"))))
    fee = money(dig(order, "Commissions", "kiwify_fee"), "Commissions.kiwify_fee", scale=2)
    if fee is not None and fee >= 0:
        fee_currency = (text(dig(order, "Commissions", "kiwify_fee_currency"), 3) or currency).upper()
        shares.append(CommissionShare("MARKETPLACE", fee, fee_currency, "Kiwify"))
    return tuple(shares)


def _tracking(order: dict[str, Any]) -> Tracking | None:
    params = order.get("TrackingParameters")
    keys = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "src", "sck")
    values = {key: text(dig(params, key)) for key in keys}
    return Tracking(**values) if any(values.values()) else None


def _subscription(order: dict[str, Any], order_id: str) -> SubscriptionTerms | None:
    sub = order.get("Subscription")
    code = text(order.get("subscription_id"), 100) or text(dig(sub, "id"), 100)
    if code is None:
        return None
    completed = dig(sub, "charges", "completed")
    charges = [text(dig(c, "order_id"), 100) for c in completed] if isinstance(completed, list) else []
    return SubscriptionTerms(
        subscription_id=code,
        plan_id=text(dig(sub, "plan", "id"), 100),
        plan_name=text(dig(sub, "plan", "name")),
        status=text(dig(sub, "status"), 50),
        charge_number=charges.index(order_id) + 1 if order_id in charges else None,
        started_at=local_time(dig(sub, "start_date"), "Subscription.start_date"),
        next_charge_at=local_time(dig(sub, "next_payment"), "Subscription.next_payment"),
    )
