"""A domain, its leads and queued conversions, written as the mutations write them (the outbox contract)."""

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from integrations.outbox import ClickIds, identifiers, outbox_rows, retraction_rows, sync_status
from integrations.preimages import sha256_hex
from integrations.secret_box import SecretBox
from models import Lead, OfflineConversion
from models.enums import Destination
from tests.fakes.crm import SECRET as CRM_SECRET
from tests.fakes.platform import TOKEN
from tests.sql import execute, fetch, fetch_one

SECRET_KEY = SecretBox.generate_key()


@dataclass(frozen=True)
class Site:
    domain_id: uuid.UUID
    session_id: str


def make_site(url: str, name: str = "loja.example.com.br") -> Site:
    domain_id, session_id = uuid.uuid4(), f"s-{uuid.uuid4().hex[:12]}"
    execute(
        url,
        "INSERT INTO domains (domain_id, domain_name, domain_url) VALUES ($1, $2, $3)",
        domain_id,
        name,
        f"https://{name}",
    )
    execute(
        url,
        "INSERT INTO sessions (session_id, domain_id, visitor_id, started_at) VALUES ($1, $2, $3, now())",
        session_id,
        domain_id,
        f"v-{uuid.uuid4().hex[:12]}",
    )
    return Site(domain_id, session_id)


def make_lead(
    url: str, site: Site, email: str | None = "Maria.Silva@Gmail.com ", phone: str | None = "+5511987654321"
) -> Lead:
    lead = Lead(
        lead_id=uuid.uuid4(),
        session_id=site.session_id,
        domain_id=site.domain_id,
        name="Maria Silva",
        email=email,
        hashed_email=sha256_hex(email.strip().lower()) if email else None,
        phone=phone,
        hashed_phone=sha256_hex(phone.lstrip("+")) if phone else None,
    )
    execute(
        url,
        "INSERT INTO leads (lead_id, session_id, domain_id, name, email, hashed_email, phone, hashed_phone)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        lead.lead_id, lead.session_id, lead.domain_id, lead.name, lead.email, lead.hashed_email, lead.phone, lead.hashed_phone,
    )  # fmt: skip
    return lead


def hours_ago(hours: float) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)).replace(microsecond=0)


def queue_conversions(
    url: str,
    lead: Lead,
    count: int = 1,
    clicks: ClickIds | None = None,
    sold_at: dt.datetime | None = None,
    value: str = "1500.00",
    name: str = "purchase",
) -> list[uuid.UUID]:
    """Conversions of the lead with their outbox rows, as registerOfflineConversion writes them."""
    clicks = clicks or ClickIds(gclid="Cj0KCQ-gclid", fbclid="IwAR-fbclid", ttclid="E.C.P.ttclid",
                                li_fat_id="li-fat-id", clicked_at=hours_ago(30))  # fmt: skip
    matches = identifiers(clicks, lead)
    conversions, rows = [], []
    for n in range(count):
        conversion = OfflineConversion(
            conversion_id=uuid.uuid4(),
            lead_id=lead.lead_id,
            domain_id=lead.domain_id,
            conversion_value=Decimal(value),
            conversion_currency="BRL",
            conversion_date=sold_at or hours_ago(24),
            conversion_name=name if count == 1 else f"{name}-{n}",
        )
        conversions.append(conversion)
        rows += outbox_rows(conversion, clicks, matches)
    records = [
        (c.conversion_id, c.lead_id, c.domain_id, c.conversion_value, c.conversion_date, c.conversion_name,
         json.dumps(sync_status(matches)))
        for c in conversions
    ]  # fmt: skip
    _copy(url, "offline_conversions",
          ["conversion_id", "lead_id", "domain_id", "conversion_value", "conversion_date", "conversion_name", "sync_status"],
          records)  # fmt: skip
    _copy(url, "conversion_outbox", ["conversion_id", "domain_id", "platform", "kind", "dedup_key", "payload"],
          [(r["conversion_id"], r["domain_id"], r["platform"], r["kind"], r["dedup_key"], json.dumps(r["payload"])) for r in rows])  # fmt: skip
    return [c.conversion_id for c in conversions]


def queue_retractions(url: str, conversion_id: uuid.UUID, reason: str = "refund") -> None:
    rows = fetch(
        url,
        "SELECT conversion_id, domain_id, platform, payload FROM conversion_outbox"
        " WHERE conversion_id = $1 AND kind = 'conversion'",
        conversion_id,
    )
    for row in rows:
        row["payload"] = json.loads(row["payload"])
    for row in retraction_rows(rows, reason, dt.datetime.now(dt.UTC)):  # type: ignore[arg-type]
        execute(
            url,
            "INSERT INTO conversion_outbox (conversion_id, domain_id, platform, kind, dedup_key, payload)"
            " VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
            row["conversion_id"], row["domain_id"], row["platform"], row["kind"], row["dedup_key"], json.dumps(row["payload"]),
        )  # fmt: skip


def _copy(url: str, table: str, columns: list[str], records: list[tuple[Any, ...]]) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.copy_records_to_table(table, columns=columns, records=records)
        finally:
            await connection.close()

    asyncio.run(run())


ACCOUNTS: dict[Destination, tuple[dict[str, Any], dict[str, Any]]] = {
    Destination.GOOGLE_ADS: (
        {"customer_id": "123-456-7890", "conversion_action_id": "555"},
        {"access_token": TOKEN},
    ),
    Destination.META: ({"pixel_id": "1234567890"}, {"access_token": TOKEN}),
    Destination.LINKEDIN: ({"conversion_rule_id": "777"}, {"access_token": TOKEN}),
    Destination.TIKTOK: ({"event_source_id": "CPIXEL123"}, {"access_token": TOKEN}),
    Destination.CRM_WEBHOOK: ({"url": "set by the test"}, {"signing_secret": CRM_SECRET}),
}


def set_account(
    url: str,
    site: Site,
    destination: Destination,
    settings: dict[str, Any] | None = None,
    secrets: dict[str, Any] | None = None,
    name: str | None = None,
) -> None:
    default_settings, default_secrets = ACCOUNTS[destination]
    sealed = SecretBox(SECRET_KEY).seal(default_secrets if secrets is None else secrets)
    execute(
        url,
        "INSERT INTO delivery_accounts (domain_id, destination, name, settings, secrets) VALUES ($1, $2, $3, $4::jsonb, $5)"
        " ON CONFLICT (domain_id, destination) DO UPDATE SET settings = excluded.settings, secrets = excluded.secrets",
        site.domain_id, destination.value, name or destination.value,
        json.dumps({**default_settings, **(settings or {})}), sealed,
    )  # fmt: skip


def outbox(url: str, conversion_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    if conversion_id is None:
        return fetch(url, "SELECT * FROM conversion_outbox ORDER BY id")
    return fetch(url, "SELECT * FROM conversion_outbox WHERE conversion_id = $1 ORDER BY id", conversion_id)


def by_platform(url: str, conversion_id: uuid.UUID, kind: str = "conversion") -> dict[str, dict[str, Any]]:
    return {row["platform"]: row for row in outbox(url, conversion_id) if row["kind"] == kind}


def sync_of(url: str, conversion_id: uuid.UUID) -> dict[str, str]:
    row = fetch_one(
        url, "SELECT sync_status FROM offline_conversions WHERE conversion_id = $1", conversion_id
    )
    status: dict[str, str] = json.loads(row["sync_status"])
    return status


def logs(url: str, conversion_id: uuid.UUID, platform: str) -> list[dict[str, Any]]:
    found = fetch(
        url,
        "SELECT * FROM platform_sync_log WHERE conversion_id = $1 AND platform = $2 ORDER BY created_at, sync_id",
        conversion_id,
        platform,
    )
    for row in found:
        for key in ("request_payload", "response_data"):
            row[key] = json.loads(row[key]) if row[key] else None
    return found
