"""One transaction per mutation; an unexpected failure rolls it back and is logged without any values."""

import logging
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolvers.context import Context
from resolvers.database_errors import failure_code, noted

log = logging.getLogger("rastro.mutations")


class MutationFailed(RuntimeError):
    """Raised in place of the original error, whose message may carry SQL parameters (personal data)."""

    def __init__(self, mutation: str) -> None:
        super().__init__(f"{mutation} failed unexpectedly; nothing was written")


@asynccontextmanager
async def write_transaction(context: Context, mutation: str) -> AsyncIterator[AsyncSession]:
    async with write_transaction_of(context.sessions, mutation) as session:
        yield session


@asynccontextmanager
async def write_transaction_of(
    sessions: async_sessionmaker[AsyncSession], mutation: str
) -> AsyncIterator[AsyncSession]:
    try:
        async with sessions() as session, session.begin():
            yield session
    except Exception as error:
        raise failed(mutation, error) from None


def failed(mutation: str, error: BaseException) -> Exception:
    """What the caller gets for a rolled-back write: a database failure it can act on, else MutationFailed."""
    code = failure_code(error)
    if code is not None:
        return noted(code, error, mutation)
    # Our frames and the error's type only: database messages can quote the values written.
    stack = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in stack if "site-packages" not in frame.filename]
    frames = "".join(traceback.format_list(ours))
    log.error("%s rolled back after %s\n%s", mutation, type(error).__name__, frames)
    return MutationFailed(mutation)
