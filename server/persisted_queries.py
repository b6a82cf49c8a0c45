"""Apollo's automatic persisted queries: a request may send a document's SHA-256 instead of the document."""

import sys
from typing import Any

import orjson
from cachetools import LRUCache
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from resolvers.errors import Code
from resolvers.key_material import hash_key
from server.auth import AuthError, parse_authorization
from server.graphql_http import JSON, accepted_media_type, graphql_error_response
from server.http_body import read_body, replay
from server.trusted_documents import SHA256_HEX, TrustedDocuments, sha256_hex

# What an entry costs beside its document: the 64-hex key (113 bytes) and the LRU's three dicts' slots.
ENTRY_OVERHEAD_BYTES = 250


def entry_bytes(document: str) -> int:
    """Memory one cached document takes: counting its text alone let 16 MB of tiny documents take 180 MB."""
    return sys.getsizeof(document) + ENTRY_OVERHEAD_BYTES


class PersistedQueryError(Exception):
    def __init__(self, message: str, code: Code) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def persisted_hash(extension: Any) -> str:
    """The hash of `extensions.persistedQuery`, or the 400 that says what is wrong with it."""
    if (
        not isinstance(extension, dict)
        or extension.get("version") != 1
        or not isinstance(digest := extension.get("sha256Hash"), str)
        or not SHA256_HEX.fullmatch(digest)
    ):
        raise PersistedQueryError(
            "extensions.persistedQuery must be {version: 1, sha256Hash: <SHA-256 of the query, 64 lowercase "
            "hex digits>}",
            Code.BAD_REQUEST,
        )
    return digest


class PersistedQueries:
    """Before auth, so that what runs is checked as if the client had sent the document itself.

    A request with its query and hash teaches this worker the hash; one with the hash alone gets the
    document put back into its body, or PERSISTED_QUERY_NOT_FOUND, on which Apollo Client sends both.
    """

    def __init__(self, app: ASGIApp, cache_bytes: int, path: str = "/graphql") -> None:
        self.app = app
        self.path = path
        self.documents: LRUCache[str, str] = LRUCache(maxsize=max(cache_bytes, 1), getsizeof=entry_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        if b"persistedQuery" in body:
            try:
                body = await self.resolve(scope, body)
            except PersistedQueryError as error:
                await self.refuse(scope, receive, send, error)
                return
        await self.app(scope, replay(body, receive), send)

    async def resolve(self, scope: Scope, body: bytes) -> bytes:
        """The body to run: as sent, or with the document its hash stands for."""
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return body  # the endpoint says what is wrong with it
        extensions = payload.get("extensions") if isinstance(payload, dict) else None
        if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
            return body
        digest = persisted_hash(extensions["persistedQuery"])
        query = payload.get("query")
        if isinstance(query, str):
            if sha256_hex(query) != digest:
                raise PersistedQueryError(
                    "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query", Code.BAD_REQUEST
                )
            if entry_bytes(query) <= self.documents.maxsize:
                self.documents[digest] = query
            return body
        if query is not None:
            return body  # the endpoint says the query must be a string
        document = self.documents.get(digest) or await self.trusted(scope, digest)
        if document is None:
            raise PersistedQueryError("PersistedQueryNotFound", Code.PERSISTED_QUERY_NOT_FOUND)
        return orjson.dumps({**payload, "query": document})

    async def trusted(self, scope: Scope, digest: str) -> str | None:
        """The document of `digest` in the trusted list of the request's key (checked by auth next)."""
        try:
            key = parse_authorization(Headers(scope=scope).get("authorization"))
        except AuthError:
            return None
        if key is None:
            return None
        documents: TrustedDocuments = scope["app"].state.trusted_documents
        return await documents.document(hash_key(key), digest)

    async def refuse(self, scope: Scope, receive: Receive, send: Send, error: PersistedQueryError) -> None:
        media_type = accepted_media_type(Headers(scope=scope).get("accept")) or JSON
        await graphql_error_response(error.message, error.code, media_type)(scope, receive, send)
