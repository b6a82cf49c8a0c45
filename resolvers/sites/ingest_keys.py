"""createIngestKey: a key for one domain's landing pages, shown once, allowed only that domain's tracking."""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from models import ApiKey, Domain
from resolvers.context import Context, Role
from resolvers.key_material import generate_key, hash_key
from resolvers.mutations.input_checks import text_failures
from resolvers.mutations.outcome import ErrorCode, Failure, conflict
from resolvers.mutations.transaction import write_transaction
from resolvers.sites.domains import refuse_non_admins


@dataclass(frozen=True)
class IngestKeyOutcome:
    key: str | None = None
    key_prefix: str | None = None
    domain: Domain | None = None
    errors: list[Failure] = field(default_factory=list)


async def create_ingest_key(context: Context, domain_id: uuid.UUID, name: str | None) -> IngestKeyOutcome:
    if errors := refuse_non_admins(context) or text_failures(name, ("input", "name"), 100):
        return IngestKeyOutcome(errors=errors)
    key = generate_key()
    async with write_transaction(context, "createIngestKey") as session:
        domain = (await session.scalars(select(Domain).where(Domain.domain_id == domain_id))).one_or_none()
        if domain is None:
            return IngestKeyOutcome(
                errors=[Failure(ErrorCode.NOT_FOUND, ("input", "domainId"), "No such domain")]
            )
        key_name = (name or "").strip() or f"ingest {domain.domain_name} {key[4:12]}"
        statement = (
            insert(ApiKey)
            .values(
                name=key_name,
                role=Role.INGEST.value,
                key_prefix=key[:12],
                key_hash=hash_key(key),
                domain_id=domain_id,
            )
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(ApiKey.id)
        )
        if await session.scalar(statement) is None:
            return IngestKeyOutcome(
                errors=[conflict(("input", "name"), f"An API key named {key_name!r} exists")]
            )
    return IngestKeyOutcome(key=key, key_prefix=key[:12], domain=domain)
