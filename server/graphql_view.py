"""The /graphql endpoint: Strawberry's ASGI view with Rastro's context and GraphiQL page."""

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from cross_web.request._starlette import StarletteRequestAdapter
from graphql import ExecutionResult as CoreResult
from graphql import GraphQLError, GraphQLSyntaxError, OperationDefinitionNode
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import MaskErrors
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from resolvers.compiled.reads import CompiledReads, response_body
from resolvers.context import PERSONAL_DATA_ROLES, Context, Limits, Principal
from resolvers.database_errors import MESSAGES, failure_code, noted
from resolvers.errors import MASKED_MESSAGE, Code
from schema.text_limits import argument_errors
from schema.validation import nul_in_variables
from server.graphiql import PATH as GRAPHIQL_PATH
from server.graphql_http import (
    GRAPHQL_RESPONSE,
    JSON,
    accepted_media_type,
    decode_json,
    encode_json,
    error_response,
    graphql_error_response,
    post_request,
    response_status,
    scope_media_type,
    too_large,
)
from server.http_body import error_body, read_body, replay
from server.tracing import operation_span
from server.trusted_documents import TrustedDocuments, sha256_hex
from telemetry.request import note_operation

log = logging.getLogger("rastro.graphql")


def should_mask(error: GraphQLError) -> bool:
    """Mask what we did not raise on purpose; log its type and path only (never values or personal data)."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    code = failure_code(original)
    if code is not None:
        noted(code, original, f"field {error.path}")
        return True
    log.error("unexpected %s at %s", type(original).__name__, error.path, exc_info=original)
    return True


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
        code = failure_code(error.original_error)
        if code is not None:
            return GraphQLError(MESSAGES[code], error.nodes, path=error.path, extensions={"code": code.value})
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
    code = failure_code(error.original_error)
    if code is not None:
        return GraphQLError(MESSAGES[code], error.nodes, path=error.path, extensions={"code": code.value})
    if should_mask(error):
        return GraphQLError(MASKED_MESSAGE, extensions={"code": Code.INTERNAL_SERVER_ERROR.value})
    # What graphql-core raises itself past validation is about values: variables and arguments.
    return with_code(error, Code.BAD_USER_INPUT)


class RequestAdapter(StarletteRequestAdapter):
    @property
    def scope(self) -> Scope:
        return self._request.scope


def error_codes(response: GraphQLHTTPResponse) -> set[str]:
    errors = response.get("errors") or ()
    return {str(e.get("extensions", {}).get("code")) for e in errors if isinstance(e, dict)}


class RastroGraphQL(GraphQL[Context, None]):
    request_adapter_class = RequestAdapter
    retry_after = 2  # seconds, for 503 answers (RASTRO_RETRY_AFTER_SECONDS)
    max_response_bytes = 16_000_000  # RASTRO_MAX_RESPONSE_BYTES

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        app = request.app
        settings = app.state.settings
        return Context(
            sessions=app.state.sessions,
            reads=app.state.reads,
            primary_reads=app.state.primary_reads,
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
            response = error_response(error.status_code, error.reason, scope_media_type(scope))
        await response(scope, receive, send)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = scope_media_type(request.scope)
        return sub_response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        assert isinstance(response_data, dict), "batching is refused before execution"
        media_type = sub_response.media_type or JSON
        codes = error_codes(response_data)
        for code in (Code.SERVICE_UNAVAILABLE, Code.TIMEOUT):
            if code in codes:
                # Whatever else the answer holds, the request as a whole failed: say so in HTTP, as the
                # compiled path does.
                headers = {"Retry-After": str(self.retry_after)} if code is Code.SERVICE_UNAVAILABLE else None
                body = error_body(MESSAGES[code], code)
                return Response(body, status_code=503, media_type=media_type, headers=headers)
        body = self.encode_json(response_data)
        if len(body) > self.max_response_bytes:
            return too_large(len(body), self.max_response_bytes, media_type)
        response = Response(
            body, status_code=response_status(response_data, media_type), media_type=media_type
        )
        response.headers.raw.extend(sub_response.headers.raw)
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        return RedirectResponse(GRAPHIQL_PATH)

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)

    def parse_json(self, data: str | bytes) -> object:
        return decode_json(data)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "GET":
            # Query URLs end up in proxy logs and caches, with their variables: Rastro takes POST only.
            raise HTTPException(405, "Send GraphQL requests by POST with Content-Type: application/json")
        assert isinstance(request, RequestAdapter)
        data: GraphQLRequestData = request.scope["state"]["graphql_request"]
        return data

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if not result.errors:
            return await super().process_result(request, result)
        result.errors = [coded(error) for error in result.errors]
        response = await super().process_result(request, result)
        if result.data is None and all(error.path is None for error in result.errors):
            del response["data"]  # refused before execution: the spec wants no data entry
        return response


def limits(settings: Any) -> Limits:
    return Limits(default_page_size=settings.default_page_size, max_page_size=settings.max_page_size)


def graphql_view(
    schema: Any, graphiql: bool, retry_after: int = 2, max_response_bytes: int = 16_000_000
) -> RastroGraphQL:
    view = RastroGraphQL(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=False)
    view.retry_after = retry_after
    view.max_response_bytes = max_response_bytes
    return view


class GraphQLEndpoint:
    """POST /graphql: a query whose plan is known is answered by its one statement; the rest by Strawberry."""

    def __init__(self, view: RastroGraphQL, compiled: CompiledReads | None) -> None:
        self.view = view
        self.compiled = compiled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        media_type = accepted_media_type(Headers(scope=scope).get("accept"))
        if media_type is None and not (
            scope["method"] == "GET" and "query" not in QueryParams(scope["query_string"])
        ):
            message = f"Accept {GRAPHQL_RESPONSE} or {JSON}: Rastro answers in those"
            await error_response(406, message)(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["media_type"] = media_type = media_type or JSON
        if scope["method"] == "POST":
            body = await read_body(receive)
            try:
                request = state["graphql_request"] = post_request(Headers(scope=scope), body)
            except HTTPException as error:
                await error_response(error.status_code, error.reason, media_type)(scope, receive, send)
                return
            if not await self.trusted(scope, request):
                message = "This API key runs only its trusted documents, and this is not one of them"
                refusal = graphql_error_response(message, Code.PERSISTED_QUERY_NOT_IN_LIST, media_type)
                await refusal(scope, receive, send)
                return
            answer = None if self.compiled is None else await self.compiled_answer(scope, request)
            if answer is not None:
                limit = self.view.max_response_bytes
                fits = len(answer) <= limit
                reply = (
                    Response(answer, media_type=media_type)
                    if fits
                    else too_large(len(answer), limit, media_type)
                )
                await reply(scope, receive, send)
                return
            receive = replay(body, receive)
        await self.view(scope, receive, send)

    async def trusted(self, scope: Scope, request: GraphQLRequestData) -> bool:
        """False when the key has a list of trusted documents and this document is not in it."""
        principal: Principal | None = scope.get("state", {}).get("principal")
        if principal is None or request.query is None:
            return True
        documents: TrustedDocuments = scope["app"].state.trusted_documents
        allowed = await documents.hashes(principal.key_id)
        return allowed is None or sha256_hex(request.query) in allowed

    async def compiled_answer(self, scope: Scope, request: GraphQLRequestData) -> bytes | None:
        assert self.compiled is not None
        if request.query is None:
            return None
        plan = self.compiled.known(request.query, request.operation_name)
        # A NUL would fail in PostgreSQL; text over its limit or no e-mail: the Python path names the culprit.
        if (
            plan is None
            or nul_in_variables(request.variables) is not None
            or argument_errors(plan.text_arguments, request.variables)
        ):
            return None
        state = scope["app"].state
        principal: Principal | None = scope.get("state", {}).get("principal")
        sees = principal is not None and principal.role in PERSONAL_DATA_ROLES
        name = plan.operation.name.value if plan.operation.name else None
        with operation_span(state.tracer, name, "query") as span:
            role = None if principal is None else principal.role
            data = await self.compiled.data(plan, request.variables, limits(state.settings), sees, role)
            span.set_attribute("rastro.compiled", data is not None)
        if data is None:
            return None
        note_operation(name, "query")
        return response_body(data, plan.compact)
