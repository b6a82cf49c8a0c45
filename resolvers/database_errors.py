"""Database failures a caller can act on: retry later (unavailable), retry now (conflict), ask for less."""

import asyncio
import logging

import asyncpg
from graphql import GraphQLError
from sqlalchemy import exc as sa

from resolvers.errors import Code

log = logging.getLogger("rastro.database")

# SQLSTATEs by what the caller can do: https://www.postgresql.org/docs/15/errcodes-appendix.html
CONFLICT_STATES = frozenset({"55P03", "40P01", "40001"})  # lock_timeout, deadlock, serialization failure
TIMEOUT_STATES = frozenset({"57014"})  # statement_timeout (query_canceled)
UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300", "53400"})  # shutdown, starting, full
UNAVAILABLE_CLASSES = ("08",)  # connection exceptions

MESSAGES = {
    Code.SERVICE_UNAVAILABLE: "The database is unavailable: retry after the seconds Retry-After gives",
    Code.CONFLICT: "The write waited too long for rows another request holds: nothing was written, retry",
    Code.TIMEOUT: "The request ran past the database's time limit and was stopped: ask for less",
}


def failure_code(error: BaseException | None) -> Code | None:
    """What a database failure means to the caller, looking through wrapped causes; None when it is none."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        code = _code_of(error)
        if code is not None:
            return code
        context = None if error.__suppress_context__ else error.__context__
        error = getattr(error, "original_error", None) or error.__cause__ or context
    return None


def _code_of(error: BaseException) -> Code | None:
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str):
        if state in CONFLICT_STATES:
            return Code.CONFLICT
        if state in TIMEOUT_STATES:
            return Code.TIMEOUT
        if state in UNAVAILABLE_STATES or state.startswith(UNAVAILABLE_CLASSES):
            return Code.SERVICE_UNAVAILABLE
    if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        return Code.SERVICE_UNAVAILABLE
    unavailable = (
        OSError,  # refused, reset, and connect or command timeouts (TimeoutError)
        asyncio.TimeoutError,
        sa.TimeoutError,  # no pooled connection came free in time
        sa.DisconnectionError,
        asyncpg.ConnectionDoesNotExistError,
        asyncpg.CannotConnectNowError,
    )
    if isinstance(error, unavailable):
        return Code.SERVICE_UNAVAILABLE
    if isinstance(error, asyncpg.InterfaceError) and "connection is closed" in str(error):
        return Code.SERVICE_UNAVAILABLE
    return None


class DatabaseFailure(GraphQLError):
    """A database failure as the caller sees it: its code and what to do, nothing of the statement."""

    def __init__(self, code: Code) -> None:
        super().__init__(MESSAGES[code], extensions={"code": code.value})
        self.code = code


def noted(code: Code, error: BaseException, where: str) -> DatabaseFailure:
    """Log one line (the error's type, never its message: it may quote values) and the caller's error."""
    kind = type(error)
    log.warning("%s: %s (%s.%s)", where, code.value, kind.__module__, kind.__qualname__)
    return DatabaseFailure(code)
