"""exportDataSubject: everything Rastro holds on one person, as of one snapshot of the database."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolvers.access import QUERY_ROOTS
from resolvers.context import Context
from resolvers.data_subject.find import Found, find_subject
from resolvers.data_subject.subject import Subject
from resolvers.errors import ForbiddenError

EXPORTERS = QUERY_ROOTS["exportDataSubject"]


def refuse_unless_admin(context: Context, what: str) -> None:
    principal = context.principal
    if principal is None or principal.role not in EXPORTERS:
        held = "none" if principal is None else principal.role.value
        raise ForbiddenError(f"{what} needs an admin API key; this key's role is {held}")


async def export_subject(sessions: async_sessionmaker[AsyncSession], subject: Subject) -> Found:
    """One REPEATABLE READ snapshot: the tables agree with each other, whatever is written meanwhile."""
    async with sessions() as session, session.begin():
        await session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        return await find_subject(session, subject)
