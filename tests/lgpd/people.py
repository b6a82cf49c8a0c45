"""A person with a row in every table the data-subject declaration names, arranged with plain SQL."""

import asyncio
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import asyncpg


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Person:
    tag: str
    name: str
    email: str
    phone_digits: str  # E.164 without '+'
    document: str  # CPF digits
    ip: str
    user_agent: str

    @property
    def secrets(self) -> list[str]:
        """Values that must not be found anywhere after the person is erased."""
        digits = self.phone_digits
        return [
            self.name.lower(),
            self.email,
            sha(self.email),
            digits,
            sha(digits),
            sha(f"+{digits}"),
            self.document,
            self.ip,
            self.user_agent.lower(),
            self.street.lower(),
        ]

    @property
    def street(self) -> str:
        """Only in the raw checkout webhooks, beside their e-mail: a whole buyer record is theirs."""
        return f"Rua {self.tag.capitalize()} Secreta, 42"


def person(tag: str, document: str, phone: str, ip: str) -> Person:
    return Person(
        tag=tag,
        name=f"Fulana {tag.capitalize()} de Tal",
        email=f"fulana.{tag}@exemplo-lgpd.com.br",
        phone_digits=phone,
        document=document,
        ip=ip,
        user_agent=f"Mozilla/5.0 (LgpdTest {tag})",
    )


ANA = person("ana", "39053344705", "5511987650001", "2001:db8:a9a::1")
BIA = person("bia", "71428793860", "5521987650002", "2001:db8:b1a::2")


async def insert(connection: asyncpg.Connection, sql: str, *args: Any) -> Any:
    return await connection.fetchval(sql, *args)


async def arrange_async(url: str, who: Person) -> dict[str, list[Any]]:
    """Rows of `who` in every declared table, by table: the primary keys inserted."""
    c = await asyncpg.connect(url)
    try:
        async with c.transaction():
            return await _arrange(c, who)
    finally:
        await c.close()


async def _arrange(c: asyncpg.Connection, who: Person) -> dict[str, list[Any]]:
    keys: dict[str, list[Any]] = {}

    async def add(table: str, sql: str, *args: Any) -> Any:
        key = await insert(c, sql, *args)
        keys.setdefault(table, []).append(key)
        return key

    domain = await c.fetchval("SELECT domain_id FROM domains ORDER BY domain_id LIMIT 1")
    visitor = f"visitor-lgpd-{who.tag}"
    sessions = [f"session-lgpd-{who.tag}-{n}" for n in (1, 2)]
    for session in sessions:
        await add(
            "sessions",
            "INSERT INTO sessions (session_id, domain_id, visitor_id) VALUES ($1, $2, $3) RETURNING session_id",
            session, domain, visitor,
        )  # fmt: skip
    await add(
        "visitor_journeys",
        "INSERT INTO visitor_journeys (visitor_id, domain_id, total_sessions) VALUES ($1, $2, 2)"
        " RETURNING journey_id",
        visitor, domain,
    )  # fmt: skip
    tracking = await add(
        "utm_tracking",
        "INSERT INTO utm_tracking (session_id, utm_source, utm_medium, utm_campaign, client_ip, user_agent,"
        " url_params, domain_id) VALUES ($1, 'google', 'cpc', 'lgpd', $2::inet, $3, $4::jsonb, $5)"
        " RETURNING tracking_id",
        sessions[0], who.ip, who.user_agent, json.dumps({"e": who.email}), domain,
    )  # fmt: skip
    await add(
        "page_views",
        "INSERT INTO page_views (session_id, view_order, domain_id) VALUES ($1, 1, $2) RETURNING view_id",
        sessions[1],
        domain,
    )
    await add(
        "events",
        "INSERT INTO events (session_id, event_type, event_data, domain_id)"
        " VALUES ($1, 'form_submit', $2::jsonb, $3) RETURNING event_id",
        sessions[0], json.dumps({"fields": {"nome": who.name, "telefone": f"+{who.phone_digits}"}}), domain,
    )  # fmt: skip
    lead = await add(
        "leads",
        "INSERT INTO leads (session_id, utm_tracking_id, name, email, hashed_email, phone, hashed_phone,"
        " email_domain, metadata, domain_id)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, 'exemplo-lgpd.com.br', $8::jsonb, $9) RETURNING lead_id",
        sessions[0], tracking, who.name, who.email, sha(who.email), f"+{who.phone_digits}",
        sha(who.phone_digits), json.dumps({"custom": {"cpf": who.document}}), domain,
    )  # fmt: skip
    await add(
        "lead_stages",
        "INSERT INTO lead_stages (lead_id, stage_name, changed_by, reason, domain_id)"
        " VALUES ($1, 'won', 'vendas@exemplo.com', $2, $3) RETURNING stage_id",
        lead, f"Fechou com {who.name}", domain,
    )  # fmt: skip
    conversion = await add(
        "offline_conversions",
        "INSERT INTO offline_conversions (lead_id, original_tracking_id, conversion_value, conversion_date,"
        " conversion_name, sync_status, domain_id)"
        " VALUES ($1, $2, 1500, now(), 'purchase', '{\"meta\": \"pending\"}', $3) RETURNING conversion_id",
        lead, tracking, domain,
    )  # fmt: skip
    await add(
        "conversion_outbox",
        "INSERT INTO conversion_outbox (conversion_id, platform, dedup_key, payload, domain_id)"
        " VALUES ($1, 'meta', $2, $3::jsonb, $4) RETURNING id",
        conversion, f"lgpd-{who.tag}",
        json.dumps({"identifiers": {"hashed_email": sha(who.email), "hashed_phone": sha(who.phone_digits)}}),
        domain,
    )  # fmt: skip
    await add(
        "platform_sync_log",
        "INSERT INTO platform_sync_log"
        " (conversion_id, platform, sync_status, request_payload, response_data, domain_id)"
        " VALUES ($1, 'google_ads', 'failed', $2::jsonb, $3::jsonb, $4) RETURNING sync_id",
        conversion, json.dumps({"userIdentifiers": [{"hashedPhoneNumber": sha(f"+{who.phone_digits}")}]}),
        json.dumps({"error": f"unknown user {sha(who.email)}"}), domain,
    )  # fmt: skip
    await add(
        "conversion_adjustments",
        "INSERT INTO conversion_adjustments (conversion_id, platform, reason, action, adjusted_at)"
        " VALUES ($1, 'meta', 'refund', 'recorded', now()) RETURNING id",
        conversion,
    )
    await add(
        "integrations_log",
        "INSERT INTO integrations_log (lead_id, integration_type, integration_name, request_data, domain_id)"
        " VALUES ($1, 'webhook', 'crm', $2::jsonb, $3) RETURNING log_id",
        lead, json.dumps({"lead": {"name": who.name, "email": who.email.upper(), "ip": who.ip}}), domain,
    )  # fmt: skip
    customer = await add(
        "customers",
        "INSERT INTO customers (name, email, phone, document, document_type, document_valid)"
        " VALUES ($1, $2, $3, $4, 'CPF', true) RETURNING id",
        who.name, who.email, who.phone_digits, who.document,
    )  # fmt: skip
    product = await c.fetchval("SELECT id FROM products ORDER BY id LIMIT 1")
    sale = await add(
        "transactions",
        "INSERT INTO transactions (transaction_id, platform, customer_id, status_id, offer_price, order_date,"
        " domain_id) VALUES ($1, 'hotmart', $2, 1, 997, now(), $3) RETURNING id",
        f"HP-LGPD-{who.tag}", customer, domain,
    )  # fmt: skip
    await add(
        "subscriptions",
        "INSERT INTO subscriptions (platform, subscription_id, customer_id) VALUES ('hotmart', $1, $2) RETURNING id",
        f"SUB-LGPD-{who.tag}", customer,
    )  # fmt: skip
    by_sale = {
        "transaction_items": "INSERT INTO transaction_items (transaction_id, product_id, unit_price)"
        " VALUES ($1, $2, 997) RETURNING id",
        "transaction_status_history": "INSERT INTO transaction_status_history"
        " (transaction_id, status_id, status_detail, occurred_at) VALUES ($1, 1, 'APPROVED', now()) RETURNING id",
        "platform_transaction_payment_history": "INSERT INTO platform_transaction_payment_history"
        " (transaction_id, payment_method, card_brand, card_last_digits, pix_code)"
        " VALUES ($1, 'credit_card', 'visa', '4242', 'pix-code') RETURNING id",
        "platform_utm_history": "INSERT INTO platform_utm_history (transaction_id, utm_source) VALUES ($1, 'google')"
        " RETURNING id",
        "platform_software_invoice_history": "INSERT INTO platform_software_invoice_history"
        " (transaction_id, xml_url, pdf_url) VALUES ($1, 'https://nfe.example/x.xml', 'https://nfe.example/x.pdf')"
        " RETURNING id",
        "platform_sale_offer_history": "INSERT INTO platform_sale_offer_history (transaction_id, offer_name)"
        " VALUES ($1, 'Oferta') RETURNING id",
    }
    for table, sql in by_sale.items():
        await add(table, sql, sale, *([product] if table == "transaction_items" else []))
    # A commission paid to the person on someone else's sale: they are an affiliate there.
    other_sale = await c.fetchval(
        "SELECT id FROM transactions WHERE customer_id <> $1 ORDER BY id LIMIT 1", customer
    )
    await add(
        "platform_commission",
        "INSERT INTO platform_commission (transaction_id, source, amount, recipient_name)"
        " VALUES ($1, 'AFFILIATE', 100, $2) RETURNING id",
        other_sale, who.name.upper(),
    )  # fmt: skip
    address = {"street": who.street, "zipcode": "01310-100"}
    buyer = {"email": who.email, "first_name": "Fulana", "address": address}
    event = {"data": {"buyer": buyer, "purchase": {"transaction": f"HP-LGPD-{who.tag}", "price": 997}}}
    await add(
        "checkout_events",
        "INSERT INTO checkout_events (platform, dedup_key, event_type, payload, status, transaction_id)"
        " VALUES ('hotmart', $1, 'PURCHASE_APPROVED', $2::jsonb, 'applied', $3) RETURNING id",
        f"lgpd-{who.tag}-1", json.dumps(event), sale,
    )  # fmt: skip
    await add(
        "checkout_events",
        "INSERT INTO checkout_events (platform, dedup_key, event_type, payload, status, error)"
        " VALUES ('hotmart', $1, 'PURCHASE_DELAYED', $2::jsonb, 'failed', 'offer unknown') RETURNING id",
        f"lgpd-{who.tag}-2", json.dumps(event),
    )  # fmt: skip
    return keys


def arrange(url: str, who: Person) -> dict[str, list[Any]]:
    return asyncio.run(arrange_async(url, who))
