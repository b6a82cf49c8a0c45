"""registerOfflineConversion: the conversion, its won stage and its outbox rows, all or nothing, once."""

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.outbox import identifiers, outbox_rows, sync_status
from models import ConversionOutbox, Lead, OfflineConversion
from resolvers.context import Context
from resolvers.mutations.click_ids import click_ids_of
from resolvers.mutations.input_checks import moment_failures, money_failures, text_failures
from resolvers.mutations.lead_lock import LeadRef, lead_ref_failures, lock_lead
from resolvers.mutations.outcome import Failure, conflict, invalid
from resolvers.mutations.permissions import author, refuse_non_writers
from resolvers.mutations.stages import StageEntry, record_stage
from resolvers.mutations.transaction import write_transaction


@dataclass(frozen=True)
class ConversionRequest:
    lead: LeadRef
    value: Decimal
    conversion_date: dt.datetime
    conversion_name: str = "purchase"
    currency: str = "BRL"
    mark_won: bool = True
    changed_by: str | None = None


@dataclass(frozen=True)
class Registration:
    conversion: OfflineConversion | None = None
    created: bool = False
    errors: list[Failure] = field(default_factory=list)


CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def normalized(request: ConversionRequest) -> ConversionRequest:
    return replace(
        request, conversion_name=request.conversion_name.strip(), currency=request.currency.strip().upper()
    )


def request_failures(request: ConversionRequest, now: dt.datetime) -> list[Failure]:
    currency_errors = (
        []
        if CURRENCY_CODE.fullmatch(request.currency)
        else [invalid(("input", "currency"), "Must be an ISO 4217 code, e.g. BRL")]
    )
    return [
        *lead_ref_failures(request.lead),
        *text_failures(request.conversion_name, ("input", "conversionName"), 100),
        *money_failures(request.value, ("input", "value")),
        *currency_errors,
        *moment_failures(request.conversion_date, ("input", "conversionDate"), now),
        *text_failures(request.changed_by, ("input", "changedBy"), 255),
    ]


def repeat_failures(existing: OfflineConversion, request: ConversionRequest) -> list[Failure]:
    """A repeat must match what was registered; anything else is a different sale under the same name."""
    said = f"'{existing.conversion_name}' is already registered for this lead with"
    if existing.conversion_value != request.value:
        return [conflict(("input", "value"), f"{said} value {existing.conversion_value}")]
    if existing.conversion_currency != request.currency:
        return [conflict(("input", "currency"), f"{said} currency {existing.conversion_currency}")]
    if existing.conversion_date != request.conversion_date:
        registered = existing.conversion_date.isoformat()
        return [conflict(("input", "conversionDate"), f"{said} conversionDate {registered}")]
    return []


async def register_offline_conversion(context: Context, request: ConversionRequest) -> Registration:
    request = normalized(request)
    errors = refuse_non_writers(context.principal) or request_failures(request, dt.datetime.now(dt.UTC))
    if errors:
        return Registration(errors=errors)
    async with write_transaction(context, "registerOfflineConversion") as session:
        return await register_in_transaction(session, request, author(context.principal, request.changed_by))


async def register_in_transaction(
    session: AsyncSession, request: ConversionRequest, changed_by: str
) -> Registration:
    """The mutation's writes, in the caller's transaction, for a checked and normalized request.

    Checkout webhooks register a purchase's conversion through this too, in the event's transaction.
    """
    lead = await lock_lead(session, request.lead)
    if isinstance(lead, Failure):
        return Registration(errors=[lead])
    conversion = await _insert_conversion(session, lead, request)
    if conversion is None:
        existing = await _existing_conversion(session, lead, request.conversion_name)
        errors = repeat_failures(existing, request)
        return Registration(errors=errors) if errors else Registration(existing, created=False)
    if request.mark_won:
        won = StageEntry(
            stage="won",
            value=conversion.conversion_value,
            probability=100,
            changed_by=changed_by,
            reason=f"Offline conversion {conversion.conversion_name}",
            occurred_at=conversion.conversion_date,
        )
        # A registered sale is proof enough to reopen a lost lead.
        await record_stage(session, lead, won, reopen=True)
    return Registration(conversion, created=True)


async def _insert_conversion(
    session: AsyncSession, lead: Lead, request: ConversionRequest
) -> OfflineConversion | None:
    """The new conversion with its outbox rows; None when the lead already has one of this name."""
    clicks = await click_ids_of(session, lead.utm_tracking_id)
    matches = identifiers(clicks, lead)
    statement = (
        upsert(OfflineConversion)
        .values(
            lead_id=lead.lead_id,
            domain_id=lead.domain_id,
            original_tracking_id=lead.utm_tracking_id,
            gclid=clicks.gclid,
            gbraid=clicks.gbraid,
            wbraid=clicks.wbraid,
            fbclid=clicks.fbclid,
            ttclid=clicks.ttclid,
            li_fat_id=clicks.li_fat_id,
            conversion_value=request.value,
            conversion_currency=request.currency,
            conversion_date=request.conversion_date,
            conversion_name=request.conversion_name,
            sync_status=sync_status(matches),
        )
        .on_conflict_do_nothing(index_elements=["lead_id", "conversion_name"])
        .returning(OfflineConversion)
    )
    conversion = (await session.scalars(statement)).one_or_none()
    if conversion is not None:
        rows = outbox_rows(conversion, clicks, matches)
        if rows:
            await session.execute(insert(ConversionOutbox), rows)
    return conversion


async def _existing_conversion(session: AsyncSession, lead: Lead, name: str) -> OfflineConversion:
    query = select(OfflineConversion).where(
        OfflineConversion.lead_id == lead.lead_id, OfflineConversion.conversion_name == name
    )
    return (await session.scalars(query)).one()
