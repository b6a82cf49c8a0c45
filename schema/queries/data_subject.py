"""exportDataSubject (admins): everything Rastro holds on one person (LGPD art. 18), as JSON."""

from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from resolvers.context import Info
from resolvers.data_subject.export import export_subject, refuse_unless_admin
from resolvers.data_subject.find import Found
from resolvers.data_subject.subject import SubjectError, subject_of
from resolvers.errors import ArgumentError

IDENTIFIER = "Give exactly one of email, phone and document."
Email = Annotated[
    str | None, strawberry.argument(description=f"The person's e-mail (trimmed, any case). {IDENTIFIER}")
]
Phone = Annotated[
    str | None, strawberry.argument(description=f"The person's phone, Brazilian or E.164 form. {IDENTIFIER}")
]
Document = Annotated[
    str | None,
    strawberry.argument(description=f"The person's CPF or CNPJ, punctuation allowed. {IDENTIFIER}"),
]


@strawberry.type(description="How many of a table's rows a data-subject request found.")
class DataSubjectTableRows:
    table: str = strawberry.field(description="The table's name in the database (e.g. leads, customers).")
    rows: int = strawberry.field(description="Its rows about the person.")


def table_rows(found: Found) -> list[DataSubjectTableRows]:
    return [DataSubjectTableRows(table=table, rows=rows) for table, rows in found.counts().items()]


@strawberry.type(description="Everything Rastro holds on one person, read from one snapshot of the database.")
class DataSubjectExport:
    tables: list[DataSubjectTableRows] = strawberry.field(
        description="Every table that can hold the person's data, in a fixed order, with its row count."
    )
    total_rows: int = strawberry.field(description="Rows found in all tables; 0 when Rastro holds nothing.")
    data: JSON = strawberry.field(
        description="The rows themselves: an object keyed by table name, each a list of the table's rows "
        "(columns as stored, snake_case) ordered by primary key. docs/decisions/lgpd.md says which rows."
    )


@strawberry.type
class DataSubjectQuery:
    @strawberry.field(
        description="Everything Rastro holds on the person with this e-mail, phone or document: leads and "
        "their stages, conversions, deliveries and CRM logs, the visitor's journeys, sessions and UTM "
        "captures, customers with their purchases, payments, invoices and raw checkout webhooks, and "
        "commissions paid to them. Needs an admin API key."
    )
    async def export_data_subject(
        self, info: Info, email: Email = None, phone: Phone = None, document: Document = None
    ) -> DataSubjectExport:
        refuse_unless_admin(info.context, "exportDataSubject")
        try:
            subject = subject_of(email, phone, document)
        except SubjectError as error:
            raise ArgumentError(error.argument, error.problem) from None
        found = await export_subject(info.context.sessions, subject)
        return DataSubjectExport(
            tables=table_rows(found), total_rows=sum(found.counts().values()), data=cast(JSON, found.rows)
        )
