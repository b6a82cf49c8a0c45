"""updateLead: only the fields given change; e-mail and phone are normalized and hashed again."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import Maybe

from models import Lead
from resolvers.context import Context
from resolvers.mutations.input_checks import text_failures
from resolvers.mutations.lead_lock import LeadRef, lead_ref_failures, lock_lead
from resolvers.mutations.lead_metadata import merge_metadata, metadata_failures
from resolvers.mutations.outcome import Failure, conflict, invalid
from resolvers.mutations.permissions import refuse_non_writers
from resolvers.mutations.transaction import write_transaction
from resolvers.personal_data import (
    InvalidPersonalData,
    email_domain,
    is_business_email,
    normalize_email,
    normalize_phone,
    sha256_hex,
)


@dataclass(frozen=True)
class LeadUpdateRequest:
    """None: the field was not sent; Some(None): clear it; Some(value): set it."""

    lead: LeadRef
    new_external_id: Maybe[str | None] = None
    lead_score: Maybe[str | None] = None
    company: Maybe[str | None] = None
    name: Maybe[str | None] = None
    email: Maybe[str | None] = None
    phone: Maybe[str | None] = None
    metadata: Maybe[Any] = None


@dataclass(frozen=True)
class LeadUpdate:
    lead: Lead | None = None
    errors: list[Failure] = field(default_factory=list)


NEW_EXTERNAL_ID = ("input", "newExternalId")
# (request attribute, Lead attribute, input field, max length)
TEXT_FIELDS = (
    ("new_external_id", "external_id", "newExternalId", 255),
    ("lead_score", "lead_score", "leadScore", 10),
    ("company", "company", "company", 255),
    ("name", "name", "name", 255),
)


def email_columns(email: str | None) -> dict[str, Any]:
    if email is None:
        return {"email": None, "hashed_email": None, "email_domain": None, "is_business_email": False}
    normalized = normalize_email(email)
    return {
        "email": normalized,
        "hashed_email": sha256_hex(normalized),
        "email_domain": email_domain(normalized),
        "is_business_email": is_business_email(normalized),
    }


def phone_columns(phone: str | None) -> dict[str, Any]:
    if phone is None:
        return {"phone": None, "hashed_phone": None}
    digits = normalize_phone(phone)
    return {"phone": f"+{digits}", "hashed_phone": sha256_hex(digits)}  # hashed as the seeds and Meta do


def column_changes(request: LeadUpdateRequest) -> tuple[dict[str, Any], list[Failure]]:
    """Lead attribute -> new value for every field given (metadata is merged later), and what is wrong."""
    changes: dict[str, Any] = {}
    failures = lead_ref_failures(request.lead)
    for attribute, column, input_field, max_length in TEXT_FIELDS:
        given: Maybe[str | None] = getattr(request, attribute)
        if given is not None:
            failures += text_failures(given.value, ("input", input_field), max_length)
            changes[column] = None if given.value is None else given.value.strip()
    for input_field, given, columns in (
        ("email", request.email, email_columns),
        ("phone", request.phone, phone_columns),
    ):
        if given is None:
            continue
        try:
            changes |= columns(given.value)
        except InvalidPersonalData as problem:
            failures.append(invalid(("input", input_field), f"{input_field.capitalize()} {problem}"))
    if request.metadata is not None:
        if request.metadata.value is None:
            failures.append(invalid(("input", "metadata"), "Cannot be null: send the sections to change"))
        else:
            failures += metadata_failures(request.metadata.value, ("input", "metadata"))
    return changes, failures


async def update_lead(context: Context, request: LeadUpdateRequest) -> LeadUpdate:
    changes, failures = column_changes(request)
    errors = refuse_non_writers(context.principal) or failures
    if errors:
        return LeadUpdate(errors=errors)
    async with write_transaction(context, "updateLead") as session:
        lead = await lock_lead(session, request.lead)
        if isinstance(lead, Failure):
            return LeadUpdate(errors=[lead])
        new_external_id = changes.get("external_id")
        if new_external_id not in (None, lead.external_id) and await _claimed(session, new_external_id, lead):
            return LeadUpdate(errors=[conflict(NEW_EXTERNAL_ID, "Another lead has this externalId")])
        if request.metadata is not None:
            changes["metadata_"] = merge_metadata(lead.metadata_, request.metadata.value)
        if not changes:
            return LeadUpdate(lead)
        statement = update(Lead).where(Lead.lead_id == lead.lead_id).values(changes).returning(Lead)
        updated = await session.scalars(statement, execution_options={"populate_existing": True})
        return LeadUpdate(updated.one())


async def _claimed(session: AsyncSession, external_id: str, lead: Lead) -> bool:
    """Whether another lead has this external id, asked under a lock on the id (the column is not unique)."""
    claim = func.hashtext(f"leads.external_id:{external_id}")
    await session.execute(select(func.pg_advisory_xact_lock(claim)))
    others = exists().where(Lead.external_id == external_id, Lead.lead_id != lead.lead_id)
    return bool(await session.scalar(select(others)))
