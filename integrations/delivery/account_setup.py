"""Setting a domain's delivery account (admin mutation and CLI): validate, seal the secrets, re-queue.

Secrets are sealed with RASTRO_SECRET_KEY and never returned. Activating an account sends what waited
for it: the domain's not_configured outbox rows and parked CRM webhooks are due again.
"""

import uuid
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.delivery.account_settings import AccountError, check_pair, parse_secrets, parse_settings
from integrations.secret_box import SecretBox, SecretKeyError
from models import DeliveryAccount, Domain
from models.enums import Destination

REQUEUE_OUTBOX = text("""
WITH woken AS (
    UPDATE conversion_outbox o
    SET status = 'pending', next_attempt_at = now(), last_error = NULL
    FROM offline_conversions c, leads l, sessions s
    WHERE o.platform = :platform AND o.status = 'not_configured' AND c.conversion_id = o.conversion_id
      AND l.lead_id = c.lead_id AND s.session_id = l.session_id AND s.domain_id = :domain_id
    RETURNING o.conversion_id, o.kind
), synced AS (
    UPDATE offline_conversions c
    SET sync_status = jsonb_set(c.sync_status, ARRAY[CAST(:platform AS text)], '"pending"')
    FROM (SELECT DISTINCT conversion_id FROM woken WHERE kind = 'conversion') w
    WHERE c.conversion_id = w.conversion_id
)
SELECT count(*) FROM woken
""")

REQUEUE_WEBHOOKS = text("""
WITH woken AS (
    UPDATE integrations_log g SET next_attempt_at = now(), error_message = NULL
    FROM leads l, sessions s
    WHERE g.integration_type = 'webhook' AND g.status = 'pending' AND g.next_attempt_at = 'infinity'
      AND l.lead_id = g.lead_id AND s.session_id = l.session_id AND s.domain_id = :domain_id
    RETURNING g.log_id
)
SELECT count(*) FROM woken
""")


async def set_account(
    session: AsyncSession,
    box: SecretBox | None,
    domain_id: uuid.UUID,
    destination: Destination,
    name: str,
    settings: dict[str, Any],
    secrets: dict[str, Any] | None,
    active: bool = True,
) -> tuple[DeliveryAccount, int]:
    """The stored account and how many waiting deliveries it woke; AccountError names a bad field."""
    if not 1 <= len(name.strip()) <= 100:
        raise AccountError("name", "must be 1 to 100 characters")
    if await session.get(Domain, domain_id) is None:
        raise AccountError("domainId", f"no domain {domain_id}")
    parsed = parse_settings(destination, settings)
    existing = (
        await session.scalars(
            select(DeliveryAccount)
            .where(DeliveryAccount.domain_id == domain_id, DeliveryAccount.destination == destination.value)
            .with_for_update()
        )
    ).one_or_none()
    sealed = await _sealed(box, destination, parsed, secrets, existing)
    values = {
        "domain_id": domain_id,
        "destination": destination.value,
        "name": name.strip(),
        "settings": parsed.model_dump(exclude_none=True),
        "secrets": sealed,
        "active": active,
    }
    statement = (
        insert(DeliveryAccount)
        .values(**values)
        .on_conflict_do_update(index_elements=["domain_id", "destination"], set_=values)
        .returning(DeliveryAccount)
    )
    account = (await session.scalars(statement)).one()
    woken = await requeue(session, domain_id, destination) if active else 0
    return account, woken


async def _sealed(
    box: SecretBox | None,
    destination: Destination,
    settings: Any,
    secrets: dict[str, Any] | None,
    existing: DeliveryAccount | None,
) -> bytes:
    if secrets is None:
        if existing is None or existing.secrets is None:
            raise AccountError("secrets", "are required for a new account")
        if box is not None:  # the kept secrets must still fit the new settings
            try:
                check_pair(settings, parse_secrets(destination, box.unseal(existing.secrets)))
            except SecretKeyError as error:
                raise AccountError(
                    "secrets", f"the stored ones cannot be opened ({error}): send them again"
                ) from None
        return existing.secrets
    if box is None:
        raise AccountError("secrets", "cannot be stored: RASTRO_SECRET_KEY is not set on this server")
    parsed = parse_secrets(destination, secrets)
    check_pair(settings, parsed)
    return box.seal(parsed.model_dump(exclude_none=True))


async def requeue(session: AsyncSession, domain_id: uuid.UUID, destination: Destination) -> int:
    """Deliveries of the domain that waited for this destination's account, due now."""
    if destination is Destination.CRM_WEBHOOK:
        result = await session.execute(REQUEUE_WEBHOOKS, {"domain_id": domain_id})
    else:
        result = await session.execute(
            REQUEUE_OUTBOX, {"domain_id": domain_id, "platform": destination.value}
        )
    return int(result.scalar_one())
