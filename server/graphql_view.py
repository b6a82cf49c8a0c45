"""The /graphql endpoint: Strawberry's ASGI view with Rastro's context and GraphiQL page."""

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import ExecutionResult as CoreResult
from graphql import GraphQLError, GraphQLSyntaxError, OperationDefinitionNode
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import MaskErrors
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types import ExecutionResult

from resolvers.compiled.reads import CompiledReads, response_body
from resolvers.context import PERSONAL_DATA_ROLES, Context, Limits, Principal
from resolvers.errors import Code
from schema.graphiql import graphiql_html
from server.http_body import error_body, read_body, replay
from telemetry.request import note_operation

log = logging.getLogger("rastro.graphql")


def should_mask(error: GraphQLError) -> bool:
    """Mask what we did not raise on purpose; log its type and path only (never values or personal data)."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    log.error("unexpected %s at %s", type(original).__name__, error.path, exc_info=original)
    return True


MASKED_MESSAGE = "Internal error: it was logged"


def with_code(error: GraphQLError, code: Code) -> GraphQLError:
    """Give `error` `code` unless it carries one already (ours set theirs where they are raised)."""
    if not (error.extensions or {}).get("code"):
        error.extensions = {**(error.extensions or {}), "code": code.value}
    return error


def with_codes(errors: Iterable[GraphQLError] | None, code: Code) -> None:
    for error in errors or ():
        with_code(error, code)


class ErrorCodes(MaskErrors):
    """Masks what we did not raise on purpose, and names the step that refused a document."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask, error_message=MASKED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return with_code(super().anonymise_error(error), Code.INTERNAL_SERVER_ERROR)

    def on_validate(self) -> Iterator[None]:
        yield
        with_codes(self.execution_context.pre_execution_errors, Code.GRAPHQL_VALIDATION_FAILED)

    def on_execute(self) -> Iterator[None]:
        # Strawberry would run the first operation; the spec wants the caller to name it.
        run = self.execution_context
        definitions = run.graphql_document.definitions if run.graphql_document else ()
        operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) > 1 and run._provided_operation_name is None:
            names = ", ".join(op.name.value if op.name else "(anonymous)" for op in operations)
            message = f"The document has {len(operations)} operations ({names}): name one in 'operationName'"
            error = GraphQLError(message, extensions={"code": Code.BAD_REQUEST.value})
            run.result = CoreResult(data=None, errors=[error])
        yield


def coded(error: GraphQLError) -> GraphQLError:
    """The last word on an error leaving the server: masked if unexpected, and always with a code."""
    if (error.extensions or {}).get("code"):
        return error
    # The parser cache parses before the parse step starts, so its errors reach here as they are.
    if isinstance(error, GraphQLSyntaxError):
        return with_code(error, Code.GRAPHQL_PARSE_FAILED)
    if isinstance(error.original_error, RecursionError):
        message = "Syntax Error: the document is nested too deeply to parse"
        return GraphQLError(message, extensions={"code": Code.GRAPHQL_PARSE_FAILED.value})
    if should_mask(error):
        return GraphQLError(MASKED_MESSAGE, extensions={"code": Code.INTERNAL_SERVER_ERROR.value})
    # What graphql-core raises itself past validation is about values: variables and arguments.
    return with_code(error, Code.BAD_USER_INPUT)


def http_code(status: int) -> Code:
    return Code.PAYLOAD_TOO_LARGE if status == 413 else Code.BAD_REQUEST


def error_response(status: int, message: str, code: Code | None = None) -> Response:
    headers = {"Allow": "GET, POST"} if status == 405 else None
    body = error_body(message, code or http_code(status))
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def decode_json(body: str | bytes) -> object:
    """The request body as JSON, or a 400 that says what is wrong with it (orjson caps nesting at 1024)."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise HTTPException(400, f"The request body is not valid JSON: {error}") from error


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


def encode_json(data: object) -> bytes:
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        # orjson stops at 64-bit integers, which a JSON column may exceed.
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


class RastroGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        app = request.app
        settings = app.state.settings
        return Context(
            sessions=app.state.sessions,
            reads=app.state.reads,
            principal=request.scope.get("state", {}).get("principal"),
            limits=limits(settings),
            secret_box=app.state.secret_box,
            ingestion=app.state.ingestion,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as error:
            response = error_response(error.status_code, error.reason)
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html())

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)

    def parse_json(self, data: str | bytes) -> object:
        return decode_json(data)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method != "POST":
            return await super().parse_http_body(request)
        media_type, parameters = parse_content_type(request.content_type or "")
        if media_type != "application/json":
            shown = media_type or "none"
            raise HTTPException(415, f"Send the request as Content-Type: application/json (got {shown})")
        if parameters.get("charset", "utf-8").lower() != "utf-8":
            raise HTTPException(415, "The request body must be UTF-8 (charset=utf-8)")
        return request_data(decode_json(await request.get_body()))

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = [coded(error) for error in result.errors]
        return await super().process_result(request, result)


def limits(settings: Any) -> Limits:
    return Limits(default_page_size=settings.default_page_size, max_page_size=settings.max_page_size)


def graphql_view(schema: Any, graphiql: bool) -> RastroGraphQL:
    return RastroGraphQL(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=False)


class GraphQLEndpoint:
    """POST /graphql: a query whose plan is known is answered by its one statement; the rest by Strawberry."""

    def __init__(self, view: RastroGraphQL, compiled: CompiledReads | None) -> None:
        self.view = view
        self.compiled = compiled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.compiled is not None and scope["method"] == "POST":
            body = await read_body(receive)
            answer = await self.compiled_answer(scope, body)
            if answer is not None:
                headers = [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(answer)).encode()),
                ]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": answer})
                return
            receive = replay(body, receive)
        await self.view(scope, receive, send)

    async def compiled_answer(self, scope: Scope, body: bytes) -> bytes | None:
        assert self.compiled is not None
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(payload, dict) or not isinstance(query := payload.get("query"), str):
            return None
        plan = self.compiled.known(query, payload.get("operationName"))
        if plan is None:
            return None
        state = scope["app"].state
        principal: Principal | None = scope.get("state", {}).get("principal")
        sees = principal is not None and principal.role in PERSONAL_DATA_ROLES
        data = await self.compiled.data(plan, payload.get("variables"), limits(state.settings), sees)
        if data is None:
            return None
        note_operation(plan.operation.name.value if plan.operation.name else None, "query")
        return response_body(data)
