"""Where a visit lands: the registered domain of a URL's host, and the landing page of its path."""

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.mutations.outcome import Failure, FieldPath, invalid

MAX_URL_LENGTH = 2048


@dataclass(frozen=True)
class PageUrl:
    host: str
    path: str  # landing_pages.page_url: the path, without query string or fragment
    query: str


def parse_page_url(raw: str, field: FieldPath) -> PageUrl | Failure:
    if len(raw) > MAX_URL_LENGTH:
        return invalid(field, f"may have at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(raw.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        host = ""
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not host:
        return invalid(field, "must be an absolute http(s) URL, e.g. https://meusite.com.br/oferta")
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return PageUrl(host=host, path=path, query=parts.query)


FIND_DOMAIN = text("""
SELECT domain_id, is_active FROM domains WHERE domain_name IN (:host, :bare)
ORDER BY domain_name = :host DESC LIMIT 1
""")


@dataclass(frozen=True)
class DomainFound:
    domain_id: uuid.UUID


async def find_domain(
    session: AsyncSession, url: PageUrl, bound_to: uuid.UUID | None, field: FieldPath
) -> DomainFound | Failure:
    """The active domain registered for the URL's host (with or without www.), and the key's own."""
    bare = url.host.removeprefix("www.")
    row = (await session.execute(FIND_DOMAIN, {"host": url.host, "bare": bare})).one_or_none()
    if row is None:
        return invalid(field, f"{url.host} is not a registered domain; an admin adds it with createDomain")
    if not row.is_active:
        return invalid(field, f"{url.host} is inactive: its visits are not recorded")
    if bound_to is not None and row.domain_id != bound_to:
        return invalid(field, f"{url.host} is not the domain of this ingest key")
    return DomainFound(row.domain_id)


FIND_PAGE = text("""
SELECT page_id FROM landing_pages
WHERE domain_id = :domain_id AND page_url = :path
ORDER BY (page_variant = :variant) IS TRUE DESC, is_control DESC, is_active DESC, created_at, page_id
LIMIT 1
""")
INSERT_PAGE = text(
    "INSERT INTO landing_pages (domain_id, page_url) VALUES (:domain_id, :path) RETURNING page_id"
)


async def landing_page(
    session: AsyncSession, domain_id: uuid.UUID, path: str, variant: str | None = None
) -> uuid.UUID:
    """The page of this path (the given A/B variant, else the control); created when the path is new."""
    params = {"domain_id": domain_id, "path": path, "variant": variant}
    found = await session.scalar(FIND_PAGE, params)
    if found is not None:
        return uuid.UUID(str(found))
    # Two first visits of a new URL at once must create one page: serialise its creation.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"landing_page:{domain_id}:{path}"},
    )
    found = await session.scalar(FIND_PAGE, params)
    if found is None:
        found = await session.scalar(INSERT_PAGE, params)
    return uuid.UUID(str(found))
