"""integrations_log as the worker uses it: claim due CRM webhooks, record each try the source document's way.

Status, response_data, error_message and retry_count follow "Rastreamento de Erros": a failure counts
one more retry and schedules the next while fewer than MAX_RETRIES were made.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

MAX_RETRIES = 3

CLAIM = text("""
WITH due AS (
    SELECT g.log_id FROM integrations_log g
    WHERE g.integration_type = 'webhook' AND g.status <> 'success'
      AND ((g.status = 'pending' AND coalesce(g.next_attempt_at, '-infinity') <= now())
           OR (g.status = 'failed' AND g.next_attempt_at <= now()))
      AND (g.lease_expires_at IS NULL OR g.lease_expires_at < now())
    ORDER BY g.created_at, g.log_id LIMIT :limit
    FOR UPDATE OF g SKIP LOCKED
)
UPDATE integrations_log g
SET claim_token = :token, lease_expires_at = now() + make_interval(secs => :lease)
FROM due, leads l, sessions s
WHERE g.log_id = due.log_id AND l.lead_id = g.lead_id AND s.session_id = l.session_id
RETURNING g.log_id, g.request_data, g.retry_count, s.domain_id
""")

RENEW = text("""
UPDATE integrations_log SET lease_expires_at = now() + make_interval(secs => :lease)
WHERE claim_token = :token
""")

RELEASE = text(
    "UPDATE integrations_log SET claim_token = NULL, lease_expires_at = NULL WHERE claim_token = :token"
)

SUCCEEDED = text("""
UPDATE integrations_log
SET status = 'success', response_data = CAST(:response AS jsonb), error_message = NULL, processed_at = now(),
    next_attempt_at = NULL, claim_token = NULL, lease_expires_at = NULL
WHERE log_id = :log_id AND claim_token = :token
""")

FAILED = text("""
UPDATE integrations_log
SET status = 'failed', response_data = CAST(:response AS jsonb), error_message = :error,
    retry_count = retry_count + 1,
    next_attempt_at = now() + make_interval(secs => CAST(:delay AS float8)),
    processed_at = CASE WHEN CAST(:delay AS float8) IS NULL THEN now() END,
    claim_token = NULL, lease_expires_at = NULL
WHERE log_id = :log_id AND claim_token = :token
""")

PARKED = text("""
UPDATE integrations_log
SET next_attempt_at = 'infinity', error_message = :error, claim_token = NULL, lease_expires_at = NULL
WHERE log_id = :log_id AND claim_token = :token
""")


@dataclass(frozen=True)
class ClaimedWebhook:
    log_id: uuid.UUID
    request_data: dict[str, Any]
    retry_count: int
    domain_id: uuid.UUID


async def claim(
    connection: AsyncConnection, limit: int, token: uuid.UUID, lease: float
) -> list[ClaimedWebhook]:
    params = {"limit": limit, "token": token, "lease": lease}
    rows = (await connection.execute(CLAIM, params)).mappings().all()
    return [
        ClaimedWebhook(r["log_id"], r["request_data"] or {}, r["retry_count"], r["domain_id"]) for r in rows
    ]


async def renew(connection: AsyncConnection, token: uuid.UUID, lease: float) -> None:
    await connection.execute(RENEW, {"token": token, "lease": lease})


async def release(connection: AsyncConnection, token: uuid.UUID) -> None:
    await connection.execute(RELEASE, {"token": token})


async def succeeded(connection: AsyncConnection, token: uuid.UUID, log_id: uuid.UUID, response: str) -> None:
    await connection.execute(SUCCEEDED, {"token": token, "log_id": log_id, "response": response})


async def failed(
    connection: AsyncConnection,
    token: uuid.UUID,
    log_id: uuid.UUID,
    response: str,
    error: str,
    delay: float | None,
) -> None:
    """delay None: no retry (a permanent refusal, or MAX_RETRIES already made)."""
    params = {"token": token, "log_id": log_id, "response": response, "error": error, "delay": delay}
    await connection.execute(FAILED, params)


async def parked(connection: AsyncConnection, token: uuid.UUID, log_id: uuid.UUID, error: str) -> None:
    await connection.execute(PARKED, {"token": token, "log_id": log_id, "error": error})
