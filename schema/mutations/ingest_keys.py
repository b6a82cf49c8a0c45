"""createIngestKey: the public key a domain's landing pages send tracking with."""

import uuid
from typing import Any

import strawberry

from resolvers.context import Info
from resolvers.sites.ingest_keys import create_ingest_key
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.results import row_field


@strawberry.input
class CreateIngestKeyInput:
    domain_id: uuid.UUID = strawberry.field(description="The only domain the key may track.")
    name: str | None = strawberry.field(default=None, description="Default: 'ingest <domain> <prefix>'.")


@strawberry.type
class IngestKeyPayload:
    key: str | None = strawberry.field(
        default=None, description="The key, shown this once: it goes into the page's script tag."
    )
    key_prefix: str | None = None
    domain: Any = row_field("Domain", "schema.types.tracking", "The key's domain.")
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class IngestKeyMutations:
    @strawberry.mutation(description="Create an ingest key for one domain. Needs admin.")
    async def create_ingest_key(self, info: Info, input: CreateIngestKeyInput) -> IngestKeyPayload:
        outcome = await create_ingest_key(info.context, input.domain_id, input.name)
        return IngestKeyPayload(
            key=outcome.key,
            key_prefix=outcome.key_prefix,
            domain=outcome.domain,
            errors=mutation_errors(outcome.errors),
        )
