"""Where a visit lands: the registered domain of a URL's host, and the landing page of its path."""

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cachetools import TTLCache
from sqlalchemy import text

from resolvers.ingest.statements import Statements, Transaction
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


DOMAIN_COLUMNS = "SELECT domain_id, is_active, allowed_origins FROM domains"
FIND_DOMAIN = text(f"""
{DOMAIN_COLUMNS} WHERE domain_name IN (:host, :bare) ORDER BY domain_name = :host DESC LIMIT 1
""")
DOMAIN_BY_ID = text(f"{DOMAIN_COLUMNS} WHERE domain_id = :domain_id")
FIND_PAGE = text("""
SELECT page_id FROM landing_pages
WHERE domain_id = :domain_id AND page_url = :path
ORDER BY (page_variant = :variant) IS TRUE DESC, is_control DESC, is_active DESC, created_at, page_id
LIMIT 1
""")
LOCK_PAGE_CREATION = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
INSERT_PAGE = text(
    "INSERT INTO landing_pages (domain_id, page_url) VALUES (:domain_id, :path) RETURNING page_id"
)


@dataclass(frozen=True)
class DomainRow:
    domain_id: uuid.UUID
    is_active: bool
    allowed_origins: tuple[str, ...]


class Places:
    """Domains and landing pages by what visits name them by, remembered for `seconds` in this process.

    Every visit looks them up; they change rarely. Admin changes made through this process clear it; other
    processes see them within `seconds` (RASTRO_INGEST_CACHE_SECONDS).
    """

    def __init__(self, seconds: float) -> None:
        size, ttl = (4096, seconds) if seconds > 0 else (1, 1e-9)
        self._domains: TTLCache[Any, DomainRow | None] = TTLCache(size, ttl)
        self._pages: TTLCache[tuple[uuid.UUID, str, str | None], uuid.UUID] = TTLCache(size * 16, ttl)

    def clear(self) -> None:
        self._domains.clear()
        self._pages.clear()

    async def _domain(
        self, session: Statements, cache_key: Any, query: Any, params: dict[str, Any]
    ) -> DomainRow | None:
        if cache_key in self._domains:
            return self._domains[cache_key]
        row = (await session.execute(query, params)).one_or_none()
        found = None if row is None else DomainRow(row.domain_id, row.is_active, tuple(row.allowed_origins))
        self._domains[cache_key] = found
        return found

    async def domain_by_host(self, session: Statements, host: str) -> DomainRow | None:
        params = {"host": host, "bare": host.removeprefix("www.")}
        return await self._domain(session, ("host", host), FIND_DOMAIN, params)

    async def domain_by_id(self, session: Statements, domain_id: uuid.UUID) -> DomainRow | None:
        return await self._domain(session, ("id", domain_id), DOMAIN_BY_ID, {"domain_id": domain_id})

    async def page(
        self, session: Transaction, domain_id: uuid.UUID, path: str, variant: str | None
    ) -> uuid.UUID:
        key = (domain_id, path, variant)
        page_id = self._pages.get(key)
        if page_id is not None:
            return page_id
        # A new page is committed before the visit that found it: a visit that then fails leaves a page
        # that was visited, never a visit without its page.
        async with session.atomic():
            page_id = await landing_page(session, domain_id, path, variant)
        self._pages[key] = page_id
        return page_id


async def find_domain(
    session: Statements, places: Places, url: PageUrl, bound_to: uuid.UUID | None, field: FieldPath
) -> DomainRow | Failure:
    """The active domain registered for the URL's host (with or without www.), and the key's own."""
    row = await places.domain_by_host(session, url.host)
    if row is None:
        return invalid(field, f"{url.host} is not a registered domain; an admin adds it with createDomain")
    if not row.is_active:
        return invalid(field, f"{url.host} is inactive: its visits are not recorded")
    if bound_to is not None and row.domain_id != bound_to:
        return invalid(field, f"{url.host} is not the domain of this ingest key")
    return row


async def landing_page(
    session: Statements, domain_id: uuid.UUID, path: str, variant: str | None = None
) -> uuid.UUID:
    """The page of this path (the given A/B variant, else the control); created when the path is new."""
    params = {"domain_id": domain_id, "path": path, "variant": variant}
    found = await session.scalar(FIND_PAGE, params)
    if found is not None:
        return uuid.UUID(str(found))
    # Two first visits of a new URL at once must create one page: serialise its creation.
    await session.execute(LOCK_PAGE_CREATION, {"key": f"landing_page:{domain_id}:{path}"})
    found = await session.scalar(FIND_PAGE, params)
    if found is None:
        found = await session.scalar(INSERT_PAGE, params)
    return uuid.UUID(str(found))
