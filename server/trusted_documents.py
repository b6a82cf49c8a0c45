"""Trusted documents: per key, the only operations it may run (frontends and connectors ship known ones)."""

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from graphql import GraphQLError, GraphQLSchema, parse, validate
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import ApiKey
from models.trusted_documents import TrustedDocument, TrustedDocumentList

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
APOLLO_FORMAT = "apollo-persisted-query-manifest"


class TrustedDocumentsError(Exception):
    pass


@dataclass(frozen=True)
class Entry:
    sha256: str
    name: str | None
    document: str


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def _pairs(data: Any) -> list[tuple[Any, Any, Any]]:
    """(id, name, document) of each operation of Apollo's manifest or of a plain {sha256: document} map."""
    if isinstance(data, dict) and data.get("format") == APOLLO_FORMAT:
        if data.get("version") != 1 or not isinstance(operations := data.get("operations"), list):
            raise TrustedDocumentsError(f"an {APOLLO_FORMAT} must have version 1 and a list of operations")
        if not all(isinstance(op, dict) for op in operations):
            raise TrustedDocumentsError("each operation must be an object with id, name and body")
        return [(op.get("id"), op.get("name"), op.get("body")) for op in operations]
    if isinstance(data, dict) and "format" not in data:
        return [(digest, None, document) for digest, document in data.items()]
    raise TrustedDocumentsError(
        f"expected Apollo's manifest (format {APOLLO_FORMAT!r}) or a JSON object of {{sha256: document}}"
    )


def parse_manifest(text: str, schema: GraphQLSchema) -> list[Entry]:
    """The manifest's operations, each checked: its id is its SHA-256, and it is valid against `schema`."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise TrustedDocumentsError(f"the manifest is not JSON: {error}") from None
    entries: dict[str, Entry] = {}
    for number, (digest, name, document) in enumerate(_pairs(data), start=1):
        label = f"operation {number}" + (f" ({name})" if isinstance(name, str) else "")
        if not isinstance(document, str) or not document.strip():
            raise TrustedDocumentsError(f"{label}: its body must be a GraphQL document")
        if not isinstance(digest, str) or not SHA256_HEX.fullmatch(digest):
            raise TrustedDocumentsError(f"{label}: its id must be a SHA-256 in 64 lowercase hex digits")
        if sha256_hex(document) != digest:
            raise TrustedDocumentsError(f"{label}: its id {digest[:12]}… is not the SHA-256 of its body")
        try:
            errors = validate(schema, parse(document))
        except GraphQLError as error:
            errors = [error]
        if errors:
            raise TrustedDocumentsError(f"{label}: {errors[0].message}")
        entries[digest] = Entry(digest, name if isinstance(name, str) else None, document)
    if not entries:
        raise TrustedDocumentsError("the manifest holds no operations")
    return list(entries.values())


async def _active_key(session: AsyncSession, key_name: str) -> uuid.UUID:
    query = select(ApiKey.id).where(ApiKey.name == key_name, ApiKey.revoked_at.is_(None))
    key_id = (await session.execute(query)).scalar_one_or_none()
    if key_id is None:
        raise TrustedDocumentsError(f"no active API key named {key_name!r}")
    return key_id


async def load(
    sessions: async_sessionmaker[AsyncSession], key_name: str, entries: list[Entry], source: str
) -> None:
    """Replace the key's list with `entries`, in one transaction: the key runs only these from now on."""
    async with sessions() as session, session.begin():
        key_id = await _active_key(session, key_name)
        await session.execute(delete(TrustedDocumentList).where(TrustedDocumentList.key_id == key_id))
        session.add(TrustedDocumentList(key_id=key_id, source=source[:500]))
        await session.flush()
        session.add_all(
            TrustedDocument(key_id=key_id, sha256=e.sha256, name=e.name and e.name[:200], document=e.document)
            for e in entries
        )


async def clear(sessions: async_sessionmaker[AsyncSession], key_name: str) -> None:
    """Drop the key's list: it runs any document again."""
    async with sessions() as session, session.begin():
        key_id = await _active_key(session, key_name)
        result = await session.execute(
            delete(TrustedDocumentList)
            .where(TrustedDocumentList.key_id == key_id)
            .returning(TrustedDocumentList.key_id)
        )
        if result.first() is None:
            raise TrustedDocumentsError(f"the key {key_name!r} has no list of trusted documents")


async def listing(
    sessions: async_sessionmaker[AsyncSession], key_name: str
) -> tuple[TrustedDocumentList, list[TrustedDocument]] | None:
    async with sessions() as session:
        key_id = await _active_key(session, key_name)
        header = await session.get(TrustedDocumentList, key_id)
        if header is None:
            return None
        query = select(TrustedDocument).where(TrustedDocument.key_id == key_id).order_by(TrustedDocument.name)
        return header, list((await session.execute(query)).scalars())


class TrustedDocuments:
    """What the server asks per request; a loaded or cleared list takes effect within `seconds`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], seconds: float) -> None:
        self.sessions = sessions
        self.seconds = seconds
        self._lists: TTLCache[str, tuple[frozenset[str] | None]] = TTLCache(
            maxsize=1024, ttl=max(seconds, 1e-9)
        )

    async def hashes(self, key_id: str) -> frozenset[str] | None:
        """The SHA-256 of each document the key may run; None when it may run any."""
        cached = self._lists.get(key_id) if self.seconds > 0 else None
        if cached is not None:
            return cached[0]
        async with self.sessions() as session:
            listed = await session.get(TrustedDocumentList, uuid.UUID(key_id))
            found = None
            if listed is not None:
                query = select(TrustedDocument.sha256).where(TrustedDocument.key_id == listed.key_id)
                found = frozenset((await session.execute(query)).scalars())
        if self.seconds > 0:
            self._lists[key_id] = (found,)
        return found

    async def document(self, key_hash: str, digest: str) -> str | None:
        """The document of `digest` in the list of the key whose hash is `key_hash`, if it has one."""
        query = (
            select(TrustedDocument.document)
            .join(ApiKey, ApiKey.id == TrustedDocument.key_id)
            .where(ApiKey.key_hash == key_hash, TrustedDocument.sha256 == digest)
        )
        async with self.sessions() as session:
            return (await session.execute(query)).scalar_one_or_none()
