"""upsertLandingPage: a page of a domain by its path, or one A/B variant of it."""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from models import Domain, LandingPage
from resolvers.context import Context
from resolvers.ingest.places import parse_page_url
from resolvers.mutations.input_checks import text_failures
from resolvers.mutations.outcome import ErrorCode, Failure, conflict, invalid
from resolvers.mutations.transaction import write_transaction
from resolvers.sites.domains import forget_places, refuse_non_admins


@dataclass(frozen=True)
class PageRequest:
    domain_id: uuid.UUID
    page_url: str
    page_name: str | None = None
    page_variant: str | None = None
    is_control: bool = False
    ab_test_id: uuid.UUID | None = None
    is_active: bool = True


@dataclass(frozen=True)
class PageOutcome:
    page: LandingPage | None = None
    created: bool = False
    errors: list[Failure] = field(default_factory=list)


def page_path(raw: str) -> str | None:
    """The stored form of a page URL: its path (a full URL or a path may be given)."""
    value = raw.strip()
    if value.startswith("/"):
        value = "https://page.invalid" + value
    parsed = parse_page_url(value, ("input", "pageUrl"))
    return None if isinstance(parsed, Failure) else parsed.path


def page_failures(request: PageRequest) -> list[Failure]:
    failures = text_failures(request.page_name, ("input", "pageName"), 255)
    failures += text_failures(request.page_variant, ("input", "pageVariant"), 50)
    if page_path(request.page_url) is None:
        failures.append(invalid(("input", "pageUrl"), "must be a path (/oferta) or an http(s) URL"))
    if request.ab_test_id is not None and request.page_variant is None:
        failures.append(
            invalid(("input", "pageVariant"), "A page of an A/B test needs its variant (A, B...)")
        )
    if request.is_control and request.ab_test_id is None:
        failures.append(invalid(("input", "isControl"), "Only a page of an A/B test (abTestId) is a control"))
    return failures


async def upsert_landing_page(context: Context, request: PageRequest) -> PageOutcome:
    """The page of (domain, path, variant) is updated, else created."""
    if errors := refuse_non_admins(context) or page_failures(request):
        return PageOutcome(errors=errors)
    path = page_path(request.page_url)
    values = {
        "page_name": request.page_name,
        "page_variant": request.page_variant,
        "is_control": request.is_control,
        "ab_test_id": request.ab_test_id,
        "is_active": request.is_active,
    }
    forget_places(context)
    async with write_transaction(context, "upsertLandingPage") as session:
        if (
            await session.scalar(select(Domain.domain_id).where(Domain.domain_id == request.domain_id))
            is None
        ):
            return PageOutcome(errors=[Failure(ErrorCode.NOT_FOUND, ("input", "domainId"), "No such domain")])
        # The same lock as a visit creating this path's page: one page per (domain, path, variant).
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"landing_page:{request.domain_id}:{path}"},
        )
        existing = await session.scalar(
            select(LandingPage.page_id)
            .where(
                LandingPage.domain_id == request.domain_id,
                LandingPage.page_url == path,
                LandingPage.page_variant.is_not_distinct_from(request.page_variant),
            )
            .order_by(LandingPage.created_at)
            .limit(1)
        )
        try:
            async with session.begin_nested():
                if existing is None:
                    new = insert(LandingPage).values(domain_id=request.domain_id, page_url=path, **values)
                    page = (await session.scalars(new.returning(LandingPage))).one()
                else:
                    change = update(LandingPage).where(LandingPage.page_id == existing).values(values)
                    result = await session.scalars(
                        change.returning(LandingPage), execution_options={"populate_existing": True}
                    )
                    page = result.one()
        except IntegrityError:
            message = "The A/B test already has this variant, or another control"
            return PageOutcome(errors=[conflict(("input", "abTestId"), message)])
        return PageOutcome(page, created=existing is None)
