"""API keys: lookup, and the pure-ASGI middleware that authenticates /graphql."""

import datetime as dt
import time

import orjson
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, parse
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from models import ApiKey, Domain
from resolvers.context import Principal, Role
from resolvers.errors import Code
from resolvers.key_material import KEY_PREFIX, hash_key
from server.http_body import read_body, replay, send_error

# Touch last_used_at at most this often, so hot keys do not serialise requests on one row.
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


UNKNOWN_KEY = "Unknown or revoked API key"


class AuthError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_authorization(header: str | None) -> str | None:
    """The key of 'Bearer <key>'; None when absent; AuthError when malformed."""
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or " " in key:
        raise AuthError("Malformed Authorization header: expected 'Authorization: Bearer <api key>'")
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        raise AuthError("Malformed API key: Rastro keys start with 'rst_'")
    return key


class PrincipalCache:
    """Who recently seen keys belong to, for `seconds`: a revocation takes effect within that bound."""

    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, key_hash: str) -> Principal | None:
        entry = self._entries.get(key_hash)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del self._entries[key_hash]
            return None
        return entry[1]

    def put(self, key_hash: str, principal: Principal) -> None:
        if self.seconds <= 0:
            return
        if len(self._entries) >= self.size:
            del self._entries[next(iter(self._entries))]  # the oldest entry
        self._entries[key_hash] = (time.monotonic() + self.seconds, principal)


async def authenticate(
    sessions: async_sessionmaker[AsyncSession], key: str, cache: PrincipalCache | None = None
) -> Principal:
    key_hash = hash_key(key)
    cached = None if cache is None else cache.get(key_hash)
    if cached is not None:
        return cached
    async with sessions() as session:
        row = (await session.execute(select(ApiKey).where(ApiKey.key_hash == key_hash))).scalar_one_or_none()
        # One plain answer for unknown, revoked and orphaned keys: a 401 tells nothing about a key's past.
        if (
            row is None
            or row.revoked_at is not None
            or (row.domain_id is not None and await session.get(Domain, row.domain_id) is None)
        ):
            raise AuthError(UNKNOWN_KEY)
        now = dt.datetime.now(dt.UTC)
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            await session.execute(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=now))
            await session.commit()
    principal = Principal(key_id=str(row.id), name=row.name, role=Role(row.role), domain_id=row.domain_id)
    if cache is not None:
        cache.put(key_hash, principal)
    return principal


# What a public request (no key, or an ingest key from a landing page) may be: checked before validation.
INGEST_FIELDS = frozenset({"trackVisit", "trackEvents", "captureLead", "__typename"})


def _operations(body: bytes, max_tokens: int) -> list[OperationDefinitionNode] | None:
    """The operations of a GraphQL request body; None when it is not one (the GraphQL layer will say why).

    Parsing stops at `max_tokens`, so its cost is bounded whatever the body holds.
    """
    try:
        payload = orjson.loads(body)
        document = parse(payload["query"], no_location=True, max_tokens=max_tokens)
    except (ValueError, KeyError, TypeError, RecursionError, GraphQLError):
        return None
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def _meta_only(operation: OperationDefinitionNode) -> bool:
    """Selects nothing but __typename, __schema and __type: the schema, which is public anyway."""
    return all(
        isinstance(selection, FieldNode) and selection.name.value.startswith("__")
        for selection in operation.selection_set.selections
    )


def is_open_to_anonymous(body: bytes, max_tokens: int) -> bool:
    """True for a query about the schema only, and for a body that is no GraphQL request at all.

    The GraphQL layer refuses the latter with a 400 that says why, before anything runs.
    """
    operations = _operations(body, max_tokens)
    if operations is None:
        return True
    return bool(operations) and all(op.operation.value == "query" and _meta_only(op) for op in operations)


def ingest_refusal(body: bytes, max_tokens: int) -> str | None:
    """Why an ingest key may not send this body, or None: only the tracking mutations, by name."""
    operations = _operations(body, max_tokens)
    if operations is None:
        return None  # not a GraphQL request: the GraphQL layer answers 400 and runs nothing
    for operation in operations:
        if operation.operation.value == "query" and _meta_only(operation):
            continue
        if operation.operation.value != "mutation":
            return "The ingest role may only send tracking writes (mutations); reads need another key"
        for selection in operation.selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.name.value not in INGEST_FIELDS:
                allowed = ", ".join(sorted(INGEST_FIELDS - {"__typename"}))
                return f"The ingest role may only call {allowed}, as plain fields of the mutation"
    return None


async def _public_body(scope: Scope, receive: Receive, send: Send) -> bytes | None:
    """The body of a request without a key or with an ingest key; None once 413 is sent for a larger one."""
    body = await read_body(receive)
    limit = scope["app"].state.settings.public_body_bytes
    if len(body) > limit:
        message = "Request body too large: requests without a key or with an ingest key may send"
        await send_error(send, 413, f"{message} {limit} bytes", Code.PAYLOAD_TOO_LARGE)
        return None
    return body


async def _reply_401(send: Send, message: str) -> None:
    challenge = [(b"www-authenticate", b'Bearer realm="rastro"')]
    await send_error(send, 401, message, Code.UNAUTHENTICATED, challenge)


class ApiKeyMiddleware:
    """Sets scope['state']['principal'] for POST /graphql, or answers 401."""

    def __init__(self, app: ASGIApp, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        authorizations = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"authorization"]
        if len(authorizations) > 1:
            message = "Ambiguous request: send one Authorization header, not several"
            await send_error(send, 400, message, Code.BAD_REQUEST)
            return
        state = scope.setdefault("state", {})
        try:
            key = parse_authorization(authorizations[0] if authorizations else None)
            if key is not None:
                app_state = scope["app"].state
                principal = state["principal"] = await authenticate(
                    app_state.primary_reads, key, app_state.principal_cache
                )
                if principal.role is Role.INGEST:
                    await self._writes_only(scope, receive, send)
                else:
                    await self.app(scope, receive, send)
                return
        except AuthError as error:
            await _reply_401(send, error.message)
            return
        body = await _public_body(scope, receive, send)
        if body is None:
            return
        settings = scope["app"].state.settings
        if not is_open_to_anonymous(body, settings.max_tokens):
            await _reply_401(send, "Missing API key: send 'Authorization: Bearer <api key>'")
            return
        state["principal"] = None
        await self.app(scope, replay(body, receive), send)

    async def _writes_only(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Ingest keys ship inside public landing pages: they may write tracking data, not read the graph."""
        principal: Principal = scope["state"]["principal"]
        limits = scope["app"].state.ingest_rate_limits
        # Per key only: server-side senders send every visitor's tracking from one IP.
        retry_after = await limits.retry_after(principal.key_id, None)
        if retry_after is not None:
            message = f"Too many tracking requests: retry in {retry_after} s"
            await send_error(
                send, 429, message, Code.RATE_LIMITED, [(b"retry-after", str(retry_after).encode())]
            )
            return
        body = await _public_body(scope, receive, send)
        if body is None:
            return
        settings = scope["app"].state.settings
        if (refusal := ingest_refusal(body, settings.max_tokens)) is not None:
            await send_error(send, 403, refusal, Code.FORBIDDEN)
            return
        await self.app(scope, replay(body, receive), send)
