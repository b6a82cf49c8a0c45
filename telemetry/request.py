"""What one request did (id, operation, role, SQL statements), carried by a context variable.

Set by the HTTP middleware; every task the request spawns (resolvers, DataLoader batches) inherits it.
"""

import contextvars
import re
import uuid
from dataclasses import dataclass

# A caller's X-Request-Id is kept when it is this safe to log and echo; otherwise we make our own.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")


def request_id_from(header: str | None) -> str:
    if header is not None and _ACCEPTED_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


@dataclass
class RequestStats:
    request_id: str
    operation: str | None = None
    operation_type: str | None = None
    role: str | None = None
    graphql_errors: int = 0
    statements: int = 0
    # True once the request wrote through a transactional session: its later reads go to the primary.
    wrote: bool = False


current: contextvars.ContextVar[RequestStats | None] = contextvars.ContextVar("rastro_request", default=None)


def count_statement() -> None:
    stats = current.get()
    if stats is not None:
        stats.statements += 1


def note_operation(name: str | None, operation_type: str | None, errors: int = 0) -> None:
    stats = current.get()
    if stats is not None:
        stats.operation, stats.operation_type, stats.graphql_errors = name, operation_type, errors
