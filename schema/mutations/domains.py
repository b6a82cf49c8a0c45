"""createDomain / updateDomain: admins register the sites whose landing pages send tracking."""

import uuid
from typing import Any

import strawberry

from resolvers.context import Info
from resolvers.sites.domains import (
    DomainChange,
    DomainOutcome,
    NewDomain,
    camel,
    create_domain,
    forget_places,
    update_domain,
)
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.results import row_field

TRACKING = "schema.types.tracking"


@strawberry.input(description="Analytics ids of a domain; a field left out is kept, null removes it.")
class DomainAnalyticsInput:
    google_analytics_id: str | None = strawberry.UNSET
    facebook_pixel_id: str | None = strawberry.UNSET


@strawberry.input(description="Locale settings of a domain; a field left out is kept, null removes it.")
class DomainSettingsInput:
    timezone: str | None = strawberry.UNSET
    language: str | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET


@strawberry.input(description="DomainMetadata: sections given are merged into what is stored.")
class DomainMetadataInput:
    analytics: DomainAnalyticsInput | None = strawberry.UNSET
    settings: DomainSettingsInput | None = strawberry.UNSET


def metadata_of(given: DomainMetadataInput | None) -> dict[str, Any] | None:
    """The JSON shape stored in domains.metadata, with only the sections and fields given."""
    if given is None:
        return None
    shape: dict[str, Any] = {}
    for section_name in ("analytics", "settings"):
        section = getattr(given, section_name)
        if section is strawberry.UNSET:
            continue
        shape[section_name] = (
            None
            if section is None
            else {
                camel(name): value for name, value in vars(section).items() if value is not strawberry.UNSET
            }
        )
    return shape


@strawberry.input
class CreateDomainInput:
    domain_name: str = strawberry.field(description="The host, e.g. meusite.com.br (www. is the same site).")
    domain_url: str | None = strawberry.field(default=None, description="Default: https://<domainName>.")
    metadata: DomainMetadataInput | None = None
    allowed_origins: list[str] | None = strawberry.field(
        default=None,
        description="Origins whose pages may send beacons to /collect, e.g. https://meusite.com.br. "
        "Default: https://<domainName> and https://www.<domainName>.",
    )
    is_active: bool = strawberry.field(default=True, description="An inactive domain's tracking is refused.")


@strawberry.input(description="The fields to change: a field left out is kept.")
class UpdateDomainInput:
    domain_id: uuid.UUID
    domain_name: strawberry.Maybe[str]
    domain_url: strawberry.Maybe[str]
    metadata: strawberry.Maybe[DomainMetadataInput]
    allowed_origins: strawberry.Maybe[list[str]] = strawberry.field(description="Replaces the list.")
    is_active: strawberry.Maybe[bool]


@strawberry.type
class DomainPayload:
    domain: Any = row_field("Domain", TRACKING, "The domain as stored; null on error.")
    errors: list[MutationError] = strawberry.field(default_factory=list)


def payload(outcome: DomainOutcome) -> DomainPayload:
    return DomainPayload(domain=outcome.domain, errors=mutation_errors(outcome.errors))


@strawberry.type
class DomainMutations:
    @strawberry.mutation(description="Register a site to track. Needs admin.")
    async def create_domain(self, info: Info, input: CreateDomainInput) -> DomainPayload:
        request = NewDomain(
            domain_name=input.domain_name,
            domain_url=input.domain_url,
            metadata=metadata_of(input.metadata),
            allowed_origins=input.allowed_origins,
            is_active=input.is_active,
        )
        outcome = await create_domain(info.context, request)
        forget_places(info.context)  # again after commit: a visit in between may have remembered the old
        return payload(outcome)

    @strawberry.mutation(
        description="Change a site's name, URL, metadata, allowed origins or activity. Needs admin."
    )
    async def update_domain(self, info: Info, input: UpdateDomainInput) -> DomainPayload:
        metadata = None if input.metadata is None else strawberry.Some(metadata_of(input.metadata.value))
        request = DomainChange(
            domain_id=input.domain_id,
            domain_name=input.domain_name,
            domain_url=input.domain_url,
            metadata=metadata,
            allowed_origins=input.allowed_origins,
            is_active=input.is_active,
        )
        outcome = await update_domain(info.context, request)
        forget_places(info.context)  # again after commit: a visit in between may have remembered the old
        return payload(outcome)
