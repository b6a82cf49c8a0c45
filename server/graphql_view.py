"""The /graphql endpoint: Strawberry's ASGI view with Rastro's context and GraphiQL page."""

import json
import logging
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import MaskErrors

from resolvers.context import Context, Limits
from schema.graphiql import graphiql_html

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
            limits=Limits(default_page_size=settings.default_page_size, max_page_size=settings.max_page_size),
            secret_box=app.state.secret_box,
        )

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html())

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)


def graphql_view(schema: Any, graphiql: bool) -> RastroGraphQL:
    return RastroGraphQL(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=False)
