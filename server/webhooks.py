"""POST /webhooks/hotmart and POST /webhooks/kiwify: check the token, keep the event, then answer.

401: the token or signature does not match an active account (nothing stored, one log line, no body).
400: the body is not the platform's JSON. 200: stored (applied, ignored or kept as failed, or a repeat).
503 + Retry-After: the database failed and nothing was kept, so the platform sends it again.
"""

import json
import logging
from decimal import Decimal
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from models.enums import CheckoutPlatform
from resolvers.checkout import hotmart, kiwify
from resolvers.checkout.accounts import MatchedAccount
from resolvers.checkout.payloads import ParsedEvent, PayloadError
from resolvers.checkout.receive import DATABASE_ERRORS, receive_event
from resolvers.database_errors import MESSAGES
from resolvers.errors import Code
from server.graphql_http import error_response
from server.http_body import error_body

log = logging.getLogger("rastro.webhooks")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _refused(request: Request, platform: CheckoutPlatform, why: str) -> Response:
    log.warning("%s webhook refused from %s: %s", platform.value, _client(request), why)
    body = error_body(f"Unknown {platform.value} webhook token or signature: {why}", Code.UNAUTHENTICATED)
    return Response(body, 401, media_type="application/json")


def _decode(body: bytes) -> tuple[Any, Any] | None:
    """The body twice: as stored (plain JSON) and as read (numbers as Decimal, so money stays exact)."""
    try:
        return orjson.loads(body), json.loads(body, parse_float=Decimal)
    except (orjson.JSONDecodeError, ValueError, RecursionError):
        return None


async def _keep(request: Request, platform: CheckoutPlatform, account: MatchedAccount, parsed: ParsedEvent,
                stored: Any) -> Response:  # fmt: skip
    try:
        receipt = await receive_event(
            request.app.state.sessions, platform.value, (account.id, account.domain_id), parsed, stored
        )
    except DATABASE_ERRORS as error:
        # Nothing was kept: any database failure (lock wait, outage) asks the platform to send it again.
        cause = getattr(error, "orig", None) or error
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        log.warning("%s event not kept: %s (SQLSTATE %s)", platform.value, type(cause).__name__, state)
        retry = str(request.app.state.settings.retry_after_seconds)
        failure = error_body(MESSAGES[Code.SERVICE_UNAVAILABLE], Code.SERVICE_UNAVAILABLE)
        return Response(failure, 503, media_type="application/json", headers={"Retry-After": retry})
    body = {
        "received": True,
        "event": receipt.event_id,
        "status": receipt.status.value,
        "duplicate": receipt.duplicate,
    }
    return Response(orjson.dumps(body), 200, media_type="application/json")


async def hotmart_webhook(request: Request) -> Response:
    body = await request.body()
    decoded = _decode(body)
    if decoded is None:
        return error_response(400, "The body must be JSON (Hotmart postback v2.0.0)")
    stored, payload = decoded
    token = request.headers.get("x-hotmart-hottok") or hotmart.token_of(payload)
    if token is None:
        return _refused(request, CheckoutPlatform.HOTMART, "no X-HOTMART-HOTTOK header nor hottok")
    account = await request.app.state.checkout_accounts.hotmart(token)
    if account is None:
        return _refused(request, CheckoutPlatform.HOTMART, "the hottok matches no active account")
    try:
        parsed = hotmart.parse(payload)
    except PayloadError as error:
        return error_response(400, f"Not a Hotmart postback: {error}")
    if isinstance(stored, dict):
        stored.pop("hottok", None)  # the account's secret stays out of the database
    return await _keep(request, CheckoutPlatform.HOTMART, account, parsed, stored)


async def kiwify_webhook(request: Request) -> Response:
    body = await request.body()
    signature = request.query_params.get("signature")
    if not signature:
        return _refused(request, CheckoutPlatform.KIWIFY, "no signature query parameter")
    account = await request.app.state.checkout_accounts.kiwify(request.app.state.secret_box, body, signature)
    if account is None:
        return _refused(request, CheckoutPlatform.KIWIFY, "the signature matches no active account")
    decoded = _decode(body)
    if decoded is None:
        return error_response(400, "The body must be JSON (a Kiwify order)")
    stored, payload = decoded
    try:
        parsed = kiwify.parse(payload)
    except PayloadError as error:
        return error_response(400, f"Not a Kiwify order: {error}")
    return await _keep(request, CheckoutPlatform.KIWIFY, account, parsed, stored)
