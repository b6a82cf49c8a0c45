"""eraseDataSubject (admins): one person's data anonymized everywhere (LGPD art. 18), a record kept."""

import datetime as dt
import uuid

import strawberry

from resolvers.context import Info
from resolvers.data_subject.erase import Erasure
from resolvers.data_subject.erase_request import MAX_REASON, ErasureRequest, erase_data_subject_for
from schema.mutations.errors import MutationError, mutation_errors
from schema.queries.data_subject import IDENTIFIER, DataSubjectTableRows


@strawberry.input(description=f"Whom to erase and why. {IDENTIFIER}")
class EraseDataSubjectInput:
    email: str | None = strawberry.field(default=None, description="The person's e-mail (trimmed, any case).")
    phone: str | None = strawberry.field(default=None, description="The person's phone, Brazilian or E.164.")
    document: str | None = strawberry.field(default=None, description="The person's CPF or CNPJ.")
    reason: str = strawberry.field(
        description=f"Why (e.g. the request's ticket), 1-{MAX_REASON} characters; kept with the record. "
        "Do not put the person's data in it."
    )


@strawberry.type(description="The record an erasure leaves: who erased, when, why and how much; never whom.")
class DataSubjectErasure:
    erasure_id: uuid.UUID = strawberry.field(description="The record's id.")
    erased_at: dt.datetime = strawberry.field(description="When the erasure was committed.")
    actor_key_id: uuid.UUID | None = strawberry.field(
        description="The API key that asked; null from the CLI."
    )
    identifier_kind: str = strawberry.field(description="What named the person: email, phone or document.")
    reason: str = strawberry.field(description="The reason given.")
    tables: list[DataSubjectTableRows] = strawberry.field(
        description="Rows anonymized per table holding personal columns; all 0 when nothing was left."
    )
    total_rows: int = strawberry.field(description="Rows anonymized in all tables.")

    @classmethod
    def of(cls, erasure: Erasure) -> "DataSubjectErasure":
        record = erasure.record
        return cls(
            erasure_id=record.id,
            erased_at=record.erased_at,
            actor_key_id=record.actor_key_id,
            identifier_kind=record.identifier_kind,
            reason=record.reason,
            tables=[DataSubjectTableRows(table=t, rows=n) for t, n in erasure.counts.items()],
            total_rows=record.total_rows,
        )


@strawberry.type(description="The erasure's record.")
class EraseDataSubjectPayload:
    erasure: DataSubjectErasure | None = strawberry.field(description="The record; null on error.")
    errors: list[MutationError] = strawberry.field(default_factory=list)


@strawberry.type
class EraseDataSubjectMutation:
    @strawberry.mutation(
        description="Anonymize everything Rastro holds on the person with this e-mail, phone or document, in "
        "one transaction: names, e-mails, phones, documents, their hashes, IPs, user agents, payment and "
        "invoice details nulled or replaced, and the person scrubbed out of raw payloads and logs. Rows "
        "stay, so journeys and every report's counts and sums are unchanged; deliveries still due are "
        "canceled. A second erasure finds nothing and reports 0 rows. Needs an admin API key."
    )
    async def erase_data_subject(self, info: Info, input: EraseDataSubjectInput) -> EraseDataSubjectPayload:
        request = ErasureRequest(input.email, input.phone, input.document, input.reason)
        outcome = await erase_data_subject_for(info.context, request)
        erasure = None if outcome.erasure is None else DataSubjectErasure.of(outcome.erasure)
        return EraseDataSubjectPayload(erasure=erasure, errors=mutation_errors(outcome.errors))
