"""upsertLandingPage: admins name pages and set up A/B variants (visits create unknown pages themselves)."""

import uuid
from typing import Any

import strawberry

from resolvers.context import Info
from resolvers.sites.domains import forget_places
from resolvers.sites.landing_pages import PageRequest, upsert_landing_page
from schema.mutations.errors import MutationError, mutation_errors
from schema.mutations.results import row_field


@strawberry.input(description="The page of (domain, pageUrl, pageVariant) is updated, else created.")
class UpsertLandingPageInput:
    domain_id: uuid.UUID
    page_url: str = strawberry.field(description="A path (/oferta) or a full URL; stored as its path.")
    page_name: str | None = None
    page_variant: str | None = strawberry.field(default=None, description="A, B... for an A/B test.")
    is_control: bool = strawberry.field(
        default=False, description="The A/B test's control page (one per test)."
    )
    ab_test_id: uuid.UUID | None = strawberry.field(
        default=None, description="Groups the variants of one test."
    )
    is_active: bool = True


@strawberry.type
class LandingPagePayload:
    landing_page: Any = row_field(
        "LandingPage", "schema.types.tracking", "The page as stored; null on error."
    )
    created: bool = False
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class LandingPageMutations:
    @strawberry.mutation(description="Create or change a landing page. Needs admin.")
    async def upsert_landing_page(self, info: Info, input: UpsertLandingPageInput) -> LandingPagePayload:
        request = PageRequest(
            domain_id=input.domain_id,
            page_url=input.page_url,
            page_name=input.page_name,
            page_variant=input.page_variant,
            is_control=input.is_control,
            ab_test_id=input.ab_test_id,
            is_active=input.is_active,
        )
        outcome = await upsert_landing_page(info.context, request)
        forget_places(info.context)  # again after commit: a visit in between may have remembered the old
        return LandingPagePayload(
            landing_page=outcome.page, created=outcome.created, errors=mutation_errors(outcome.errors)
        )
