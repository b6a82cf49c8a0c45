"""The /graphql endpoint: Strawberry's ASGI view with Rastro's context and GraphiQL page."""

import json
import logging
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import MaskErrors

from resolvers.compiled.reads import CompiledReads, response_body
from resolvers.context import PERSONAL_DATA_ROLES, Context, Limits, Principal
from schema.graphiql import graphiql_html
from server.http_body import read_body, replay
from telemetry.request import note_operation

log = logging.getLogger("rastro.graphql")


def should_mask(error: GraphQLError) -> bool:
    """Mask what we did not raise on purpose; log its type and path only (never values or personal data)."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    log.error("unexpected %s at %s", type(original).__name__, error.path, exc_info=original)
    return True


def mask_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=should_mask, error_message="Internal error: it was logged")


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

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html())

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)


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
