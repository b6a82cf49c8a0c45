"""Who may write: CRM connectors and admins."""

from resolvers.context import Principal, Role
from resolvers.mutations.outcome import ErrorCode, Failure

WRITER_ROLES = frozenset({Role.CONNECTOR, Role.ADMIN})


def refuse_non_writers(principal: Principal | None) -> list[Failure]:
    if principal is not None and principal.role in WRITER_ROLES:
        return []
    held = "none" if principal is None else principal.role.value
    message = f"Mutations need a connector or admin API key; this key's role is {held}"
    return [Failure(ErrorCode.FORBIDDEN, None, message)]


def author(principal: Principal | None, changed_by: str | None) -> str:
    """Who a stage change is recorded as: the connector's changedBy, else the API key's name."""
    return (changed_by or (principal.name if principal else "system")).strip()
