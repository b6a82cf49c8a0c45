"""Errors a client may see: bad arguments (shown as is) versus anything unexpected (masked)."""

from graphql import GraphQLError


class ArgumentError(GraphQLError):
    """A bad argument value: the message names the argument and what is wrong."""

    def __init__(self, argument: str, problem: str) -> None:
        super().__init__(
            f"Argument '{argument}' {problem}", extensions={"code": "BAD_USER_INPUT", "argument": argument}
        )


class ForbiddenError(GraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "FORBIDDEN"})
