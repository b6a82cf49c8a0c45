"""The research doc's representative payloads (§3.1 Hotmart's test postback, §3.2 Kiwify's test order)."""

import copy
import uuid
from typing import Any

HOTMART_TEST_POSTBACK: dict[str, Any] = {
    "id": "545e7d21-8fc4-4906-8fba-dcd7889f6481",
    "creation_date": 1763247745737,
    "event": "PURCHASE_APPROVED",
    "version": "2.0.0",
    "data": {
        "product": {"id": 0, "ucode": "fb056612-bcc6-4217-9e6d-2a5d1110ac2f", "name": "Produto test postback2",
                    "warranty_date": "2017-12-27T00:00:00Z", "has_co_production": False},
        "affiliates": [{"affiliate_code": "Q58388177J", "name": "Affiliate name"}],
        "buyer": {"email": "testeComprador271101postman15@example.com", "name": "Teste Comprador",
                  "first_name": "Teste", "last_name": "Comprador", "checkout_phone_code": "999999999",
                  "checkout_phone": "99999999900",
                  "address": {"city": "Uberlândia", "country_iso": "BR", "state": "Minas Gerais",
                              "zipcode": "38400123"},
                  "document": "69526128664", "document_type": "CPF"},
        "producer": {"name": "Producer Test Name", "document": "12345678965", "legal_nature": "Pessoa Física"},
        "commissions": [{"value": 149.5, "source": "MARKETPLACE", "currency_value": "BRL"},
                        {"value": 1350.5, "source": "PRODUCER", "currency_value": "BRL"}],
        "purchase": {"approved_date": 1511783346000, "order_date": 1511783344000, "status": "APPROVED",
                     "transaction": "HP16015479281022",
                     "price": {"value": 1500, "currency_value": "BRL"},
                     "full_price": {"value": 1500, "currency_value": "BRL"},
                     "original_offer_price": {"value": 1500, "currency_value": "BRL"},
                     "checkout_country": {"name": "Brasil", "iso": "BR"},
                     "order_bump": {"is_order_bump": True, "parent_purchase_transaction": "HP02316330308193"},
                     "payment": {"installments_number": 12, "type": "CREDIT_CARD"},
                     "offer": {"code": "test", "coupon_code": "SHHUHA"}, "sckPaymentLink": "sckPaymentLinkTest",
                     "is_funnel": False, "business_model": "I",
                     "origin": {"src": None, "sck": "utm_source|google", "xcod": None}},
        "subscription": {"status": "ACTIVE", "plan": {"id": 123, "name": "plano de teste"},
                         "subscriber": {"code": "I9OT62C3"}},
    },
    "hottok": "<account token>",
}  # fmt: skip

KIWIFY_TEST_ORDER: dict[str, Any] = {
    "order_id": "637e8812-5730-4c4d-9378-c2013c1e2ba5", "order_ref": "JQeAAIM", "order_status": "paid",
    "product_type": "membership", "payment_method": "credit_card", "store_id": "4L5dQkXtaYceSNP",
    "payment_merchant_id": 76151650, "installments": 1, "card_type": "mastercard", "card_last4digits": "1429",
    "card_rejection_reason": None, "boleto_URL": None, "boleto_barcode": None, "boleto_expiry_date": None,
    "pix_code": None, "pix_expiration": None, "sale_type": "producer", "created_at": "2025-04-02 05:09",
    "updated_at": "2025-04-02 05:09", "approved_date": "2025-04-03 05:09", "refunded_at": None,
    "webhook_event_type": "order_approved",
    "Product": {"product_id": "876ffb01-0000-4000-8000-000000000001", "product_name": "Example product"},
    "Customer": {"full_name": "John Doe", "first_name": "John", "email": "johndoe@example.com",
                 "mobile": "+50524703593", "CPF": "54254161570", "ip": "1b95:cfb5::1", "instagram": "@kiwify",
                 "street": "Rua 1001", "number": "315", "complement": "SL 05", "neighborhood": "Centro",
                 "city": "Balneário Camboriú", "state": "SC", "zipcode": "88330-756"},
    "Commissions": {"charge_amount": 5298, "product_base_price": 5298, "product_base_price_currency": "BRL",
                    "kiwify_fee": 583, "kiwify_fee_currency": "BRL", "settlement_amount": 5298,
                    "settlement_amount_currency": "BRL", "sale_tax_rate": 0, "sale_tax_amount": 0,
                    "commissioned_stores": [
                        {"id": "8b83", "type": "producer", "custom_name": "Example store", "email": "a@example.com",
                         "value": "4715"},
                        {"id": "af0c", "type": "coproducer", "custom_name": "Co store", "value": "4715"},
                        {"id": "838f", "type": "affiliate", "affiliate_id": "vdTYqSK", "custom_name": "Aff",
                         "value": "4715"}],
                    "currency": "BRL", "my_commission": 4715, "funds_status": None,
                    "estimated_deposit_date": None, "deposit_date": None},
    "TrackingParameters": {"src": None, "sck": None, "utm_source": None, "utm_medium": None,
                           "utm_campaign": None, "utm_content": None, "utm_term": None},
    "Subscription": {"id": "3cb1a1b0-0000-4000-8000-000000000001", "start_date": "2025-03-30T05:09:32.747Z",
                     "next_payment": "2025-04-06T05:09:32.747Z", "status": "active",
                     "plan": {"id": "f711", "name": "Example plan", "frequency": "weekly", "qty_charges": 0},
                     "charges": {"completed": [{"order_id": "637e8812-5730-4c4d-9378-c2013c1e2ba5",
                                                "amount": 4715, "status": "paid", "installments": 1,
                                                "card_type": "mastercard", "card_last_digits": "4483",
                                                "card_first_digits": "265471", "created_at": "2025-04-02"}],
                                 "future": [{"charge_date": "2025-04-06T05:09:32.747Z"}]}},
    "subscription_id": "3cb1a1b0-0000-4000-8000-000000000001", "access_url": None,
}  # fmt: skip


def hotmart(
    event: str = "PURCHASE_APPROVED", *, creation_date: int | None = None, **purchase: Any
) -> dict[str, Any]:
    """Hotmart's test postback with a fresh envelope id; keyword arguments replace data.purchase fields."""
    payload = copy.deepcopy(HOTMART_TEST_POSTBACK)
    payload["id"] = str(uuid.uuid4())
    payload["event"] = event
    if creation_date is not None:
        payload["creation_date"] = creation_date
    payload["data"]["purchase"].update(purchase)
    return payload


def kiwify(event: str = "order_approved", **fields: Any) -> dict[str, Any]:
    """Kiwify's test order; keyword arguments replace top-level fields."""
    payload = copy.deepcopy(KIWIFY_TEST_ORDER)
    payload["webhook_event_type"] = event
    payload.update(fields)
    return payload
