"""`rastro data-subject export|erase`: LGPD requests from the command line, through the API's own code."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from resolvers.data_subject.erase_request import ErasureRequest, erase_data_subject
from resolvers.data_subject.export import export_subject
from resolvers.data_subject.subject import SubjectError, subject_of
from server.cli_database import DataDir, database, fail, with_sessions
from server.settings import Settings

Email = Annotated[str | None, typer.Option("--email", help="The person's e-mail.")]
Phone = Annotated[str | None, typer.Option("--phone", help="The person's phone (Brazilian or E.164).")]
Document = Annotated[str | None, typer.Option("--document", help="The person's CPF or CNPJ.")]


def register(app: typer.Typer) -> None:
    """Attach `rastro data-subject` to the CLI."""
    subject_app = typer.Typer(help="LGPD: export or erase everything Rastro holds on one person.")
    app.add_typer(subject_app, name="data-subject")

    @subject_app.command("export")
    def export(
        email: Email = None,
        phone: Phone = None,
        document: Document = None,
        output: Annotated[
            Path | None, typer.Option("--output", help="File to write; stdout when omitted.")
        ] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Everything Rastro holds on the person, as JSON: row counts and rows per table."""
        try:
            subject = subject_of(email, phone, document)
        except SubjectError as error:
            raise fail(f"--{error.argument} {error.problem}") from None
        with database(Settings(), data_dir, migrate=True) as url:
            found = with_sessions(url, lambda sessions: export_subject(sessions, subject))
        text = json.dumps({"tables": found.counts(), "data": found.rows}, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")

    @subject_app.command("erase")
    def erase(
        reason: Annotated[str, typer.Option("--reason", help="Why (e.g. the request's ticket); kept.")],
        email: Email = None,
        phone: Phone = None,
        document: Document = None,
        data_dir: DataDir = None,
    ) -> None:
        """Anonymize everything Rastro holds on the person in one transaction; a record is kept without it."""
        request = ErasureRequest(email, phone, document, reason)
        with database(Settings(), data_dir, migrate=True) as url:
            outcome = with_sessions(url, lambda sessions: erase_data_subject(sessions, request, None))
        if outcome.erasure is None:
            failure = outcome.errors[0]
            raise fail(f"--{(failure.field or ('', 'email'))[-1]} {failure.message}")
        record, counts = outcome.erasure.record, outcome.erasure.counts
        listed = ", ".join(f"{table} {rows}" for table, rows in counts.items())
        Console().print(
            f"Erasure {record.id}: {record.total_rows} rows anonymized ({listed}).",
            markup=False, highlight=False, soft_wrap=True,
        )  # fmt: skip
