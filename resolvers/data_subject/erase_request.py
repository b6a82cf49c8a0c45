"""eraseDataSubject for the API and the CLI: the request checked, then erased in one transaction."""

import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolvers.access import MUTATIONS
from resolvers.context import Context
from resolvers.data_subject.erase import Erasure, erase_subject
from resolvers.data_subject.subject import SubjectError, subject_of
from resolvers.mutations.input_checks import text_failures
from resolvers.mutations.outcome import Failure, invalid
from resolvers.mutations.permissions import refuse_unless
from resolvers.mutations.transaction import write_transaction_of

MAX_REASON = 500


@dataclass(frozen=True)
class ErasureRequest:
    email: str | None
    phone: str | None
    document: str | None
    reason: str


@dataclass(frozen=True)
class ErasureOutcome:
    erasure: Erasure | None = None
    errors: list[Failure] = field(default_factory=list)


async def erase_data_subject(
    sessions: async_sessionmaker[AsyncSession], request: ErasureRequest, actor_key_id: str | None
) -> ErasureOutcome:
    if failures := text_failures(request.reason, ("input", "reason"), MAX_REASON):
        return ErasureOutcome(errors=failures)
    try:
        subject = subject_of(request.email, request.phone, request.document)
    except SubjectError as error:
        return ErasureOutcome(errors=[invalid(("input", error.argument), error.problem)])
    actor = None if actor_key_id is None else uuid.UUID(actor_key_id)
    async with write_transaction_of(sessions, "eraseDataSubject") as session:
        erasure = await erase_subject(session, subject, request.reason.strip(), actor)
    return ErasureOutcome(erasure=erasure)


async def erase_data_subject_for(context: Context, request: ErasureRequest) -> ErasureOutcome:
    if errors := refuse_unless(context.principal, MUTATIONS["eraseDataSubject"], "Erasures"):
        return ErasureOutcome(errors=errors)
    assert context.principal is not None
    return await erase_data_subject(context.sessions, request, context.principal.key_id)
