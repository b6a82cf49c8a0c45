"""The conversion outbox as the worker uses it: claim due rows, renew the lease, record outcomes, release.

Every write after the claim carries the claim's token: a worker whose lease ran out (and whose rows
another worker claimed again) can no longer overwrite what the newer claim records.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from integrations.delivery.outcomes import RowResult, Verdict
from integrations.delivery.rows import OutboxRow
from models import PlatformSyncLog
from models.enums import AttemptStatus, DeliveryStatus, OutboxKind, Platform

CLAIM = text("""
WITH reclaimed AS (
    SELECT id FROM conversion_outbox
    WHERE platform = :platform AND status = 'delivering' AND lease_expires_at < now()
    ORDER BY lease_expires_at LIMIT :limit
    FOR UPDATE SKIP LOCKED
), due AS (
    SELECT o.id FROM conversion_outbox o
    WHERE o.platform = :platform AND o.status IN ('pending', 'failed') AND o.next_attempt_at <= now()
      -- a retraction waits until its conversion's delivery is settled
      AND (o.kind = 'conversion' OR NOT EXISTS (
            SELECT 1 FROM conversion_outbox c
            WHERE c.conversion_id = o.conversion_id AND c.platform = o.platform AND c.kind = 'conversion'
              AND (c.status IN ('pending', 'delivering')
                   OR (c.status = 'failed' AND c.next_attempt_at < 'infinity'))))
    ORDER BY o.next_attempt_at, o.id LIMIT :limit
    FOR UPDATE OF o SKIP LOCKED
), picked AS (
    SELECT id FROM reclaimed UNION SELECT id FROM due LIMIT :limit
)
UPDATE conversion_outbox o
SET status = 'delivering', attempts = o.attempts + 1, claim_token = :token,
    lease_expires_at = now() + make_interval(secs => :lease)
FROM picked
WHERE o.id = picked.id
RETURNING o.id, o.conversion_id, o.kind, o.dedup_key, o.payload, o.attempts, o.domain_id,
    (SELECT status FROM conversion_outbox c2
     WHERE c2.conversion_id = o.conversion_id AND c2.platform = o.platform AND c2.kind = 'conversion')
        AS conversion_status
""")

RENEW = text("""
UPDATE conversion_outbox SET lease_expires_at = now() + make_interval(secs => :lease)
WHERE claim_token = :token AND status = 'delivering'
""")

RELEASE = text("""
UPDATE conversion_outbox
SET status = 'pending', attempts = greatest(attempts - 1, 0), claim_token = NULL, lease_expires_at = NULL
WHERE claim_token = :token AND status = 'delivering'
""")

# Rows locked in one order, so two workers finishing rows of the same conversions never deadlock.
LOCK_CONVERSIONS = text("""
SELECT conversion_id FROM offline_conversions WHERE conversion_id = ANY(CAST(:ids AS uuid[]))
ORDER BY conversion_id FOR NO KEY UPDATE
""")

FINISH = text("""
WITH v AS (
    SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[]), CAST(:delays AS float8[]),
                         CAST(:errors AS text[]), CAST(:unsent AS int[]))
        AS v(id, status, delay, error, unsent)
), done AS (
    UPDATE conversion_outbox o
    SET status = v.status,
        next_attempt_at = CASE WHEN v.delay IS NULL THEN 'infinity'
                               ELSE now() + make_interval(secs => v.delay) END,
        last_error = v.error,
        delivered_at = CASE WHEN v.status = 'delivered' THEN now() END,
        attempts = o.attempts - v.unsent,
        claim_token = NULL, lease_expires_at = NULL
    FROM v WHERE o.id = v.id AND o.claim_token = :token AND o.status = 'delivering'
    RETURNING o.conversion_id, o.kind, o.status, o.next_attempt_at
)
UPDATE offline_conversions c
SET sync_status = jsonb_set(c.sync_status, ARRAY[CAST(:platform AS text)], to_jsonb(CASE d.status
        WHEN 'delivered' THEN 'success'
        WHEN 'failed' THEN CASE WHEN d.next_attempt_at = 'infinity' THEN 'failed' ELSE 'pending' END
        WHEN 'expired' THEN 'expired'
        WHEN 'not_configured' THEN 'not_configured'
        ELSE 'pending' END))
FROM done d WHERE d.kind = 'conversion' AND c.conversion_id = d.conversion_id
""")


@dataclass(frozen=True)
class Claimed:
    row: OutboxRow
    conversion_status: DeliveryStatus | None  # of the conversion a retraction takes back


@dataclass(frozen=True)
class Settled:
    """A row's outcome as stored: its status, when to try again (None: never), what went wrong."""

    status: DeliveryStatus
    delay: float | None
    error: str | None
    sent: bool


async def claim(
    connection: AsyncConnection, platform: Platform, limit: int, token: uuid.UUID, lease: float
) -> list[Claimed]:
    params = {"platform": platform.value, "limit": limit, "token": token, "lease": lease}
    rows = (await connection.execute(CLAIM, params)).mappings().all()
    return [
        Claimed(
            OutboxRow(
                id=r["id"],
                conversion_id=r["conversion_id"],
                platform=platform,
                kind=OutboxKind(r["kind"]),
                dedup_key=r["dedup_key"],
                payload=r["payload"],
                attempts=r["attempts"],
                domain_id=r["domain_id"],
            ),
            None if r["conversion_status"] is None else DeliveryStatus(r["conversion_status"]),
        )
        for r in rows
    ]


async def renew(connection: AsyncConnection, token: uuid.UUID, lease: float) -> None:
    await connection.execute(RENEW, {"token": token, "lease": lease})


async def release(connection: AsyncConnection, token: uuid.UUID) -> None:
    await connection.execute(RELEASE, {"token": token})


def _attempt_status(verdict: Verdict) -> AttemptStatus:
    return AttemptStatus.SUCCESS if verdict is Verdict.DELIVERED else AttemptStatus.FAILED


async def finish(
    connection: AsyncConnection,
    platform: Platform,
    token: uuid.UUID,
    rows: Sequence[OutboxRow],
    settled: Mapping[int, Settled],
    results: Mapping[int, RowResult],
) -> None:
    """Store outcomes and attempts, and keep offline_conversions.sync_status in step: one transaction."""
    ids = [row.id for row in rows if row.id in settled]
    await connection.execute(LOCK_CONVERSIONS, {"ids": sorted({row.conversion_id for row in rows})})
    await connection.execute(
        FINISH,
        {
            "token": token,
            "platform": platform.value,
            "ids": ids,
            "statuses": [settled[i].status.value for i in ids],
            "delays": [settled[i].delay for i in ids],
            "errors": [settled[i].error for i in ids],
            "unsent": [0 if settled[i].sent else 1 for i in ids],
        },
    )
    logs: list[dict[str, Any]] = [
        {
            "conversion_id": row.conversion_id,
            "domain_id": row.domain_id,
            "platform": platform.value,
            "sync_status": _attempt_status(attempt.outcome.verdict).value,
            "request_payload": attempt.request,
            "response_data": attempt.response,
            "http_status_code": attempt.http_status,
            "outbox_id": row.id,
            "duration_ms": attempt.duration_ms,
        }
        for row in rows
        if row.id in results
        for attempt in results[row.id].attempts
    ]
    if logs:
        await connection.execute(insert(PlatformSyncLog), logs)
