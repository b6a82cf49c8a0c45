"""Who may write: CRM connectors and admins."""

from resolvers.access import MUTATIONS
from resolvers.context import Principal, Role
from resolvers.mutations.outcome import ErrorCode, Failure

WRITER_ROLES = MUTATIONS["changeLeadStage"]


def refuse_unless(principal: Principal | None, roles: frozenset[Role], what: str) -> list[Failure]:
    """FORBIDDEN unless the key's role is one of `roles`; `what` says what needs them."""
    if principal is not None and principal.role in roles:
        return []
    held = "none" if principal is None else principal.role.value
    needed = " or ".join(sorted(role.value for role in roles))
    return [Failure(ErrorCode.FORBIDDEN, None, f"{what} need a {needed} API key; this key's role is {held}")]


def refuse_non_writers(principal: Principal | None) -> list[Failure]:
    return refuse_unless(principal, WRITER_ROLES, "Mutations")


def author(principal: Principal | None, changed_by: str | None) -> str:
    """Who a stage change is recorded as: the connector's changedBy, else the API key's name."""
    return (changed_by or (principal.name if principal else "system")).strip()
