"""The per-request GraphQL context: who is asking, the settings, and a lazy loader registry."""

import enum
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from integrations.secret_box import SecretBox
from loaders.registry import LoaderRegistry

if TYPE_CHECKING:
    from resolvers.ingest.ingestion import Ingestion


class Role(enum.StrEnum):
    INGEST = "ingest"
    VIEWER = "viewer"
    CONNECTOR = "connector"
    ANALYST = "analyst"
    ADMIN = "admin"


# Roles that see personal data (names, e-mails, phones, documents, IPs, user agents).
PERSONAL_DATA_ROLES = frozenset({Role.CONNECTOR, Role.ANALYST, Role.ADMIN})
# The longest document whose parse, validation and plan a worker keeps; longer ones are worked out on each
# request, so that caches bounded by count stay small in bytes (256 documents of 1 MB would hold 0.5 GB).
CACHED_DOCUMENT_CHARS = 32_768


def cacheable(query: str | None) -> bool:
    return query is not None and len(query) <= CACHED_DOCUMENT_CHARS


@dataclass(frozen=True)
class Principal:
    key_id: str
    name: str
    role: Role
    # An ingest key's domain: the only one it may write tracking data for (None: any).
    domain_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Limits:
    default_page_size: int
    max_page_size: int


@dataclass
class Context:
    # Transactional sessions, for mutations.
    sessions: async_sessionmaker[AsyncSession]
    # Autocommit sessions, for reads (loaders): no BEGIN/ROLLBACK around each statement.
    reads: async_sessionmaker[AsyncSession]
    principal: Principal | None
    limits: Limits
    # Seals credentials written by admin mutations; None when RASTRO_SECRET_KEY is not set.
    secret_box: SecretBox | None = None
    ingestion: "Ingestion | None" = None
    # Autocommit sessions on the primary, when reads go to a replica (DATABASE_READ_URL).
    primary_reads: async_sessionmaker[AsyncSession] | None = None
    loaders: LoaderRegistry = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = LoaderRegistry(self.reads)

    def read_own_writes(self) -> None:
        """From now on this request reads the primary: a replica may not have replayed its writes yet."""
        if self.primary_reads is not None and self.primary_reads is not self.reads:
            self.reads = self.primary_reads
            self.loaders = LoaderRegistry(self.reads)

    @property
    def sees_personal_data(self) -> bool:
        return self.principal is not None and self.principal.role in PERSONAL_DATA_ROLES


Info = StrawberryInfo[Context, None]
