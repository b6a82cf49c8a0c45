"""createDomain / updateDomain: a tracked site, its typed metadata, the origins its beacons come from."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from strawberry import Maybe

from models import Domain
from resolvers.access import MUTATIONS
from resolvers.context import Context
from resolvers.mutations.lead_metadata import TEXT, merge_metadata, metadata_failures
from resolvers.mutations.outcome import ErrorCode, Failure, conflict, invalid
from resolvers.mutations.permissions import refuse_unless
from resolvers.mutations.transaction import write_transaction
from resolvers.sites.checks import domain_name_failures, origins_failures, url_failures

DOMAIN_METADATA_SHAPE = {
    "analytics": {"googleAnalyticsId": TEXT, "facebookPixelId": TEXT},
    "settings": {"timezone": TEXT, "language": TEXT, "currency": TEXT},
}
ADMINS = MUTATIONS["createDomain"]


@dataclass(frozen=True)
class DomainOutcome:
    domain: Domain | None = None
    errors: list[Failure] = field(default_factory=list)


@dataclass(frozen=True)
class NewDomain:
    domain_name: str
    domain_url: str | None = None
    metadata: Any = None
    allowed_origins: list[str] | None = None
    is_active: bool = True


@dataclass(frozen=True)
class DomainChange:
    """None: not sent; Some(value): set it."""

    domain_id: uuid.UUID
    domain_name: Maybe[str] = None
    domain_url: Maybe[str] = None
    metadata: Maybe[Any] = None
    allowed_origins: Maybe[list[str]] = None
    is_active: Maybe[bool] = None


def forget_places(context: Context) -> None:
    """This process's visits see an admin's change at once (others within RASTRO_INGEST_CACHE_SECONDS)."""
    if context.ingestion is not None:
        context.ingestion.places.clear()


def refuse_non_admins(context: Context) -> list[Failure]:
    return refuse_unless(context.principal, ADMINS, "Domains, landing pages and ingest keys")


def _values(
    name: str | None, url: str | None, metadata: Any, origins: list[str] | None
) -> tuple[dict[str, Any], list[Failure]]:
    values: dict[str, Any] = {}
    failures: list[Failure] = []
    if name is not None:
        values["domain_name"] = name.strip().lower()
        failures += domain_name_failures(values["domain_name"], ("input", "domainName"))
    if url is not None:
        values["domain_url"] = url.strip()
        failures += url_failures(url, ("input", "domainUrl"))
    if metadata is not None:
        failures += metadata_failures(metadata, ("input", "metadata"), DOMAIN_METADATA_SHAPE)
    if origins is not None:
        values["allowed_origins"], problems = origins_failures(origins, ("input", "allowedOrigins"))
        failures += problems
    return values, failures


async def create_domain(context: Context, request: NewDomain) -> DomainOutcome:
    values, failures = _values(
        request.domain_name, request.domain_url, request.metadata, request.allowed_origins
    )
    if errors := refuse_non_admins(context) or failures:
        return DomainOutcome(errors=errors)
    name = values["domain_name"]
    values.setdefault("domain_url", f"https://{name}")
    if request.allowed_origins is None:
        values["allowed_origins"] = [f"https://{name}", f"https://www.{name}"]
    values["metadata_"] = merge_metadata({}, request.metadata or {})
    values["is_active"] = request.is_active
    forget_places(context)
    async with write_transaction(context, "createDomain") as session:
        statement = (
            insert(Domain)
            .values(values)
            .on_conflict_do_nothing(index_elements=["domain_name"])
            .returning(Domain)
        )
        created = (await session.scalars(statement)).one_or_none()
    if created is None:
        return DomainOutcome(errors=[conflict(("input", "domainName"), f"{name} is already registered")])
    return DomainOutcome(created)


async def update_domain(context: Context, request: DomainChange) -> DomainOutcome:
    def given(value: Maybe[Any]) -> Any:
        return None if value is None else value.value

    values, failures = _values(
        given(request.domain_name),
        given(request.domain_url),
        given(request.metadata),
        given(request.allowed_origins),
    )
    if request.is_active is not None:
        if request.is_active.value is None:
            failures.append(invalid(("input", "isActive"), "Cannot be null"))
        values["is_active"] = request.is_active.value
    for name in ("domain_name", "domain_url", "allowed_origins", "metadata"):
        if getattr(request, name) is not None and given(getattr(request, name)) is None:
            failures.append(invalid(("input", camel(name)), "Cannot be null"))
    if errors := refuse_non_admins(context) or failures:
        return DomainOutcome(errors=errors)
    forget_places(context)
    async with write_transaction(context, "updateDomain") as session:
        query = select(Domain).where(Domain.domain_id == request.domain_id).with_for_update()
        domain = (await session.scalars(query)).one_or_none()
        if domain is None:
            return DomainOutcome(
                errors=[Failure(ErrorCode.NOT_FOUND, ("input", "domainId"), "No such domain")]
            )
        new_name = values.get("domain_name")
        if new_name not in (None, domain.domain_name):
            taken = await session.scalar(select(Domain.domain_id).where(Domain.domain_name == new_name))
            if taken is not None:
                return DomainOutcome(
                    errors=[conflict(("input", "domainName"), f"{new_name} is already registered")]
                )
        if request.metadata is not None:
            values["metadata_"] = merge_metadata(domain.metadata_, request.metadata.value)
        if not values:
            return DomainOutcome(domain)
        statement = (
            update(Domain).where(Domain.domain_id == domain.domain_id).values(values).returning(Domain)
        )
        updated = await session.scalars(statement, execution_options={"populate_existing": True})
        return DomainOutcome(updated.one())


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)
