"""Errors a client may see, and the one list of codes every error carries in `extensions.code`."""

from enum import StrEnum

from graphql import GraphQLError


class Code(StrEnum):
    """Every `errors[].extensions.code` Rastro answers with (docs/decisions/errors.md lists them)."""

    BAD_REQUEST = "BAD_REQUEST"
    """The HTTP request is not a GraphQL request Rastro takes (body, media type, method, parameters)."""
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    """The request body is over the configured limit."""
    UNAUTHENTICATED = "UNAUTHENTICATED"
    """No API key, a malformed one, an unknown or a revoked one."""
    FORBIDDEN = "FORBIDDEN"
    """The key is valid but its role may not do this."""
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    """The document is not GraphQL (syntax), or has more tokens than allowed."""
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    """The document does not fit the schema, or passes the depth or alias limits."""
    BAD_USER_INPUT = "BAD_USER_INPUT"
    """A variable or argument value is wrong; the message names it."""
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    """The document's estimated cost is over the limit; the message gives both."""
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    """An automatic persisted query hash this server does not know yet: send the query with it."""
    PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
    """The key only runs its trusted documents, and this document is not one of them."""
    CONFLICT = "CONFLICT"
    """The write met a concurrent one (a lock wait or a conflicting row): retry."""
    RATE_LIMITED = "RATE_LIMITED"
    """Too many requests: wait as long as the Retry-After header says."""
    RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE"
    """The answer would be longer than the configured limit: ask for fewer nodes or fields."""
    TIMEOUT = "TIMEOUT"
    """The request passed its deadline and was stopped."""
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    """The database is unreachable or the server is shutting down: retry after Retry-After."""
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    """Anything unexpected; the message is masked and the cause logged."""


# What an unexpected error says to the caller; its type and place are logged, never its message.
MASKED_MESSAGE = "Internal error: it was logged"


class ArgumentError(GraphQLError):
    """A bad argument value: the message names the argument and what is wrong."""

    def __init__(self, argument: str, problem: str) -> None:
        super().__init__(
            f"Argument '{argument}' {problem}", extensions={"code": Code.BAD_USER_INPUT, "argument": argument}
        )


class ForbiddenError(GraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": Code.FORBIDDEN})
