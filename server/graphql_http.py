"""GraphQL over HTTP: the request's JSON, the response's media type and status, and error answers."""

import json

import orjson
from cross_web import HTTPException
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type

from resolvers.errors import MASKED_MESSAGE, Code
from server.http_body import error_body

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# Status of a response without data under application/graphql-response+json, by its first error's code.
STATUS_BY_CODE = {
    Code.UNAUTHENTICATED: 401,
    Code.FORBIDDEN: 403,
    Code.RATE_LIMITED: 429,
    Code.INTERNAL_SERVER_ERROR: 500,
    Code.SERVICE_UNAVAILABLE: 503,
    Code.TIMEOUT: 503,
}


def accepted_media_type(accept: str | None) -> str | None:
    """The media type to answer in, by the Accept header's preferences; None when it takes neither of ours.

    No Accept (or an empty one) means application/json, as the GraphQL-over-HTTP spec asks of servers that
    still serve it; `*/*` and `application/*` mean application/json too; on a tie ours wins.
    """
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for item in accept.split(","):
        media, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if media == GRAPHQL_RESPONSE:
            candidate = (quality, 1, GRAPHQL_RESPONSE)
        elif media in (JSON, "application/*", "*/*"):
            candidate = (quality, 0, JSON)
        else:
            continue
        if quality > 0 and (best is None or candidate > best):
            best = candidate
    return None if best is None else best[2]


def scope_media_type(scope: Scope) -> str:
    """The media type the endpoint chose for this request."""
    return str(scope.get("state", {}).get("media_type", JSON))


def response_status(response: GraphQLHTTPResponse, media_type: str) -> int:
    """200 whenever there is data, and always under application/json; else what the first error says."""
    if media_type == JSON or "data" in response:
        return 200
    errors = response.get("errors") or [{}]
    first = errors[0]
    code = first.get("extensions", {}).get("code") if isinstance(first, dict) else None
    return STATUS_BY_CODE.get(Code(code), 400) if code in set(Code) else 400


def http_code(status: int) -> Code:
    return Code.PAYLOAD_TOO_LARGE if status == 413 else Code.BAD_REQUEST


def error_response(status: int, message: str, media_type: str = JSON) -> Response:
    headers = {"Allow": "GET, POST"} if status == 405 else None
    body = error_body(message, http_code(status))
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def too_large(size: int, limit: int, media_type: str) -> Response:
    message = (
        f"The answer would be {size:,} bytes, over the limit of {limit:,} (RASTRO_MAX_RESPONSE_BYTES):"
        " ask for fewer nodes or fields"
    )
    return graphql_error_response(message, Code.RESPONSE_TOO_LARGE, media_type)


def graphql_error_response(message: str, code: Code, media_type: str) -> Response:
    """A GraphQL response holding one request error, with the status its media type and code call for."""
    answer: GraphQLHTTPResponse = {"errors": [{"message": message, "extensions": {"code": code.value}}]}
    status = 400 if code is Code.BAD_REQUEST else response_status(answer, media_type)
    return Response(encode_json(answer), status_code=status, media_type=media_type)


async def http_error(_request: Request, error: Exception) -> Response:
    """Starlette's own refusals (no such path, method not allowed) in the same JSON shape."""
    assert isinstance(error, StarletteHTTPException)
    return error_response(error.status_code, str(error.detail))


async def unexpected_error(_request: Request, _error: Exception) -> Response:
    """What escaped every handler: a JSON 500 that says nothing of the cause (the server log has it)."""
    body = error_body(MASKED_MESSAGE, Code.INTERNAL_SERVER_ERROR)
    return Response(body, status_code=500, media_type=JSON)


def decode_json(body: str | bytes) -> object:
    """The request body as JSON, or a 400 that says what is wrong with it (orjson caps nesting at 1024)."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise HTTPException(400, f"The request body is not valid JSON: {error}") from error


def encode_json(data: object) -> bytes:
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        # orjson stops at 64-bit integers, which a JSON column may exceed.
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def post_request(headers: Headers, body: bytes) -> GraphQLRequestData:
    """The GraphQL request a POST carries, or the 400/415 that says what is wrong with it."""
    media_type, parameters = parse_content_type(headers.get("content-type", ""))
    if media_type != JSON:
        raise HTTPException(415, f"Send the request as Content-Type: {JSON} (got {media_type or 'none'})")
    if parameters.get("charset", "utf-8").lower() != "utf-8":
        raise HTTPException(415, "The request body must be UTF-8 (charset=utf-8)")
    return request_data(decode_json(body))


def request_data(data: object) -> GraphQLRequestData:
    """A GraphQL-over-HTTP request from its JSON, or a 400 naming the parameter that is wrong."""
    if isinstance(data, list):
        raise HTTPException(400, "Batching is not supported: send one operation per request")
    if not isinstance(data, dict):
        raise HTTPException(
            400, f"The request body must be a JSON object with a 'query', not {type(data).__name__}"
        )
    for name, kind, check in (
        ("query", "a string", str),
        ("operationName", "a string", str),
        ("variables", "an object", dict),
        ("extensions", "an object", dict),
    ):
        if data.get(name) is not None and not isinstance(data[name], check):
            raise HTTPException(400, f"The request parameter '{name}' must be {kind} or null")
    return GraphQLRequestData(
        query=data.get("query"),
        variables=data.get("variables"),
        operation_name=data.get("operationName"),
        extensions=data.get("extensions"),
    )
