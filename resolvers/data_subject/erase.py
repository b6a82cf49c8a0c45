"""eraseDataSubject: the person's data anonymized everywhere in one transaction, and a record kept without it.

Rows stay (journeys, sessions, purchases and their values keep every report's counts and sums); what is
personal in them is nulled, replaced by a placeholder, or scrubbed out of raw payloads, as the
declaration says. Deliveries of the person's conversions and CRM rows still due are canceled.
"""

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from models import Base, DataSubjectErasure
from models.enums import DeliveryStatus, SyncStatus
from resolvers.data_subject.declaration import PERSONAL_TABLES, Erase, PersonalTable
from resolvers.data_subject.find import Found, find_subject
from resolvers.data_subject.scrub import Markers, markers_of, scrubbed
from resolvers.data_subject.subject import Subject

ERASED = "erased on request (LGPD)"
SET_DIRECTLY = (Erase.NULL, Erase.PLACEHOLDER)
# Deliveries still due become canceled, and so does the conversion's sync status for their platforms.
CANCEL_DELIVERIES = text(f"""
WITH canceled AS (
    UPDATE conversion_outbox SET status = '{DeliveryStatus.CANCELED}', next_attempt_at = 'infinity',
           claim_token = NULL, lease_expires_at = NULL, last_error = :why
    WHERE id = ANY(:keys) AND status IN ('pending', 'delivering', 'failed', 'not_configured')
    RETURNING conversion_id, platform, kind
)
UPDATE offline_conversions c SET sync_status = c.sync_status || d.states
FROM (SELECT conversion_id, jsonb_object_agg(platform, '{SyncStatus.CANCELED}') AS states
      FROM canceled WHERE kind = 'conversion' GROUP BY conversion_id) d
WHERE c.conversion_id = d.conversion_id
""")
# A CRM webhook row parked for good: failed, never due ('infinity'), as the worker reads it.
PARK_WEBHOOKS = text("""
UPDATE integrations_log SET status = 'failed', next_attempt_at = 'infinity', claim_token = NULL,
       lease_expires_at = NULL, error_message = :why
WHERE log_id = ANY(:keys) AND status <> 'success'
""")


@dataclass(frozen=True)
class Erasure:
    record: DataSubjectErasure
    counts: dict[str, int]


def erased_tables() -> list[PersonalTable]:
    """Tables with a column erasure changes: their counts are what an erasure reports."""
    return [t for t in PERSONAL_TABLES if any(p.erase is not Erase.KEPT for p in t.columns.values())]


async def set_columns(session: AsyncSession, table: PersonalTable, keys: list[Any]) -> None:
    direct = {name: p.value for name, p in table.columns.items() if p.erase in SET_DIRECTLY}
    if direct:
        assignments = ", ".join(f"{name} = {value}" for name, value in direct.items())
        await session.execute(
            text(f"UPDATE {table.name} t SET {assignments} WHERE t.{table.key} = ANY(:keys)"), {"keys": keys}
        )


async def scrub_columns(session: AsyncSession, table: PersonalTable, found: Found, markers: Markers) -> None:
    columns = [name for name, p in table.columns.items() if p.erase is Erase.SCRUB]
    kinds = Base.metadata.tables[table.name].columns
    for key, row in zip(found.keys[table.name], found.rows[table.name], strict=True):
        after = {c: scrubbed(row[c], markers) for c in columns}
        if changed := {c: value for c, value in after.items() if value != row[c]}:
            values = {c: json.dumps(v) if isinstance(kinds[c].type, JSONB) else v for c, v in changed.items()}
            assignments = ", ".join(
                f"{c} = CAST(:{c} AS jsonb)" if isinstance(kinds[c].type, JSONB) else f"{c} = :{c}"
                for c in values
            )
            await session.execute(
                text(f"UPDATE {table.name} SET {assignments} WHERE {table.key} = :key"),
                {**values, "key": key},
            )


async def erase_subject(
    session: AsyncSession, subject: Subject, reason: str, actor_key_id: uuid.UUID | None
) -> Erasure:
    """Within the caller's transaction: the person's rows locked, anonymized, and the erasure recorded."""
    found = await find_subject(session, subject, lock=True)
    markers = markers_of(subject, found)
    tables = erased_tables()
    for table in tables:
        keys = found.keys[table.name]
        if keys:
            await scrub_columns(session, table, found, markers)
            await set_columns(session, table, keys)
    await session.execute(CANCEL_DELIVERIES, {"keys": found.keys["conversion_outbox"], "why": ERASED})
    await session.execute(PARK_WEBHOOKS, {"keys": found.keys["integrations_log"], "why": ERASED})
    counts = {table.name: len(found.keys[table.name]) for table in tables}
    record = DataSubjectErasure(
        actor_key_id=actor_key_id,
        identifier_kind=subject.kind,
        reason=reason,
        row_counts=counts,
        total_rows=sum(counts.values()),
    )
    session.add(record)
    await session.flush()
    await session.refresh(record)
    return Erasure(record, counts)
