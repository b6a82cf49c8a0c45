"""POST /collect: the landing-page script's beacons (text/plain JSON, key in the query string) -> 204.

Order of the checks, cheapest first: rate limits (key, client IP), the key (an ingest key), the body size,
the JSON, the Origin against the domain's allowed origins; then the shared ingestion code.
"""

import uuid
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from resolvers.context import Principal, Role
from resolvers.errors import Code
from resolvers.ingest.beacons import Beacon, EventsBeacon, decode_beacon
from resolvers.ingest.ingestion import Ingestion
from resolvers.ingest.places import parse_page_url
from resolvers.ingest.requests import LeadRequest, Sender, VisitRequest
from resolvers.mutations.outcome import ErrorCode, Failure
from server.auth import AuthError, authenticate, parse_authorization

PREFLIGHT_MAX_AGE = "86400"


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers=headers, media_type="application/json")


def _error(status: int, code: Code, message: str, headers: dict[str, str] | None = None) -> Response:
    return _json(status, {"errors": [{"message": message, "extensions": {"code": code.value}}]}, headers)


# A beacon's bad fields are bad user input; the body is the input, so fields are named from its top.
FAILURE_CODES = {ErrorCode.INVALID: Code.BAD_USER_INPUT, ErrorCode.NOT_FOUND: Code.BAD_USER_INPUT,
                 ErrorCode.CONFLICT: Code.CONFLICT, ErrorCode.FORBIDDEN: Code.FORBIDDEN}  # fmt: skip


def _failures(failures: list[Failure], headers: dict[str, str]) -> Response:
    errors = [
        {
            "message": f.message,
            "extensions": {
                "code": FAILURE_CODES[f.code].value,
                "field": None
                if f.field is None
                else list(f.field[1:] if f.field[:1] == ("input",) else f.field),
            },
        }
        for f in failures
    ]
    return _json(400, {"errors": errors}, headers)


def _cors(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


async def _principal(request: Request, key: str | None) -> Principal | Response:
    try:
        parsed = parse_authorization(None if key is None else f"Bearer {key}")
        if parsed is None:
            return _error(401, Code.UNAUTHENTICATED, "Missing ingest key: add ?key=<ingest key> to the URL")
        state = request.app.state
        principal = await authenticate(state.primary_reads, parsed, state.principal_cache)
    except AuthError as error:
        return _error(401, Code.UNAUTHENTICATED, error.message)
    if principal.role is not Role.INGEST:
        # Any other key would be public in page source: only ingest keys may be used here.
        return _error(
            403, Code.FORBIDDEN, "/collect takes ingest keys only; this key's role is " + principal.role
        )
    return principal


async def _allowed_origins(
    request: Request, principal: Principal, url: str | None
) -> tuple[uuid.UUID, tuple[str, ...]] | None:
    """The domain the beacon is for (the key's, else the URL's) and its allowed origins."""
    ingestion: Ingestion = request.app.state.ingestion
    lookups = ingestion.lookups("collect")
    if principal.domain_id is not None:
        row = await ingestion.places.domain_by_id(lookups, principal.domain_id)
    else:
        parsed = None if url is None else parse_page_url(url, ("url",))
        if parsed is None or isinstance(parsed, Failure):
            return None
        row = await ingestion.places.domain_by_host(lookups, parsed.host)
    return None if row is None else (row.domain_id, row.allowed_origins)


async def _record(ingestion: Ingestion, beacon: Beacon, sender: Sender) -> list[Failure]:
    if isinstance(beacon, VisitRequest):
        return (await ingestion.visit(beacon, sender)).errors
    if isinstance(beacon, EventsBeacon):
        return (await ingestion.events(beacon.session, beacon.events, sender)).errors
    assert isinstance(beacon, LeadRequest)
    return (await ingestion.lead(beacon, sender)).errors


async def _read_body(request: Request, limit: int) -> bytes | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return body


async def collect(request: Request) -> Response:
    state = request.app.state
    settings = state.settings
    origin = request.headers.get("origin")
    key = request.query_params.get("key")
    client_ip = request.client.host if request.client else None
    retry_after = await state.ingest_rate_limits.retry_after(key, client_ip)
    if retry_after is not None:
        message = f"Too many tracking requests: retry in {retry_after} s"
        return _error(429, Code.RATE_LIMITED, message, {"Retry-After": str(retry_after)})
    principal = await _principal(request, key)
    if isinstance(principal, Response):
        return principal
    if request.method == "OPTIONS":
        return await _preflight(request, principal, origin)
    body = await _read_body(request, settings.collect_max_body_bytes)
    if body is None:
        limit = settings.collect_max_body_bytes
        return _error(413, Code.PAYLOAD_TOO_LARGE, f"A beacon may have at most {limit} bytes")
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _error(400, Code.BAD_REQUEST, "The body must be a JSON object (sent as text/plain or JSON)")
    beacon = decode_beacon(payload)
    if isinstance(beacon, list):
        return _failures(beacon, {} if origin is None else _cors(origin))
    domain = await _allowed_origins(request, principal, payload.get("url"))
    if origin is None or domain is None or origin.lower() not in domain[1]:
        message = f"Origin {origin or '(none)'} is not among the allowed origins of the domain (updateDomain)"
        return _error(403, Code.FORBIDDEN, message)
    sender = Sender(domain_id=domain[0], client_ip=client_ip, user_agent=request.headers.get("user-agent"))
    failures = await _record(state.ingestion, beacon, sender)
    if failures:
        return _failures(failures, _cors(origin))
    return Response(status_code=204, headers=_cors(origin))


async def _preflight(request: Request, principal: Principal, origin: str | None) -> Response:
    domain = await _allowed_origins(request, principal, request.query_params.get("url"))
    if origin is None or domain is None or origin.lower() not in domain[1]:
        return _error(403, Code.FORBIDDEN, f"Origin {origin or '(none)'} is not allowed for this ingest key")
    headers = {
        **_cors(origin),
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
    }
    return Response(status_code=204, headers=headers)
