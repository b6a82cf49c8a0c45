"""Who may run reports: analysts and admins; viewers too, with personal data masked; nobody else."""

from resolvers.access import QUERY_ROOTS
from resolvers.context import Info
from resolvers.errors import ForbiddenError

ANALYTICS_ROLES = QUERY_ROOTS["analytics"]


def check_analytics_access(info: Info) -> None:
    principal = info.context.principal
    if principal is None or principal.role not in ANALYTICS_ROLES:
        held = "none" if principal is None else principal.role.value
        raise ForbiddenError(
            f"Analytics needs an analyst, admin or viewer API key; this key's role is {held}"
        )
