"""`rastro import-costs FILE.csv`: marketing costs from a spreadsheet, through importMarketingCosts' code."""

import asyncio
import csv
import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from resolvers.checkout.costs import CostCounts, CostRow, cost_failures, normalized, upsert_costs
from server.database import create_engine, create_sessionmaker
from server.settings import Settings

COLUMNS = ("date", "source", "medium", "campaign", "cost")
OPTIONAL = {"currency": "BRL"}
SHOWN_ERRORS = 20


class CostFileError(ValueError):
    """The file's problems, one line each, naming the line and column; nothing was written."""


def read_costs(path: Path) -> list[CostRow]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [column.strip() for column in reader.fieldnames or []]
            reader.fieldnames = header
            return parse_costs(path.name, list(reader), header)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CostFileError(f"cannot read {path}: {error}") from None


def parse_costs(name: str, records: list[dict[str, Any]], header: list[str]) -> list[CostRow]:
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        expected = ",".join((*COLUMNS, *OPTIONAL))
        raise CostFileError(f"{name}: the header lacks {', '.join(missing)} (expected {expected})")
    problems: list[str] = []
    rows: list[CostRow] = []
    for index, record in enumerate(records):
        where = f"{name} line {index + 2}"
        if None in record:  # more cells than the header has columns
            problems.append(f"{where}: more cells than the header's {len(header)} columns")
            continue
        values = {column: (record.get(column) or "").strip() for column in (*COLUMNS, *OPTIONAL)}
        try:
            date = dt.date.fromisoformat(values["date"])
        except ValueError:
            problems.append(f"{where}, column date: {values['date']!r} is not a date as YYYY-MM-DD")
            continue
        try:
            cost = Decimal(values["cost"])
        except InvalidOperation:
            problems.append(f"{where}, column cost: {values['cost']!r} is not a number (decimal point: '.')")
            continue
        rows.append(
            normalized(
                CostRow(date, values["source"], values["medium"], values["campaign"], cost,
                        values["currency"] or OPTIONAL["currency"])
            )
        )  # fmt: skip
    if not problems:
        problems = [
            failure_line(name, failure.field or (), failure.message)
            for failure in cost_failures(rows, ("rows",))
        ]
    if problems:
        shown = problems[:SHOWN_ERRORS]
        if len(problems) > SHOWN_ERRORS:
            shown.append(f"... and {len(problems) - SHOWN_ERRORS} more")
        raise CostFileError("\n".join([*shown, "Nothing was imported."]))
    return rows


def failure_line(name: str, field: tuple[str, ...], message: str) -> str:
    """("rows", "3", "cost") is the file's line 5 (after the header), column cost."""
    where = f"{name} line {int(field[1]) + 2}" if len(field) > 1 else name
    column = f", column {field[2]}" if len(field) > 2 else ""
    return f"{where}{column}: {message}"


async def store(url: str, rows: list[CostRow], advance: Callable[[int], None]) -> CostCounts:
    engine = create_engine(url, Settings())
    try:
        async with create_sessionmaker(engine).begin() as session:
            return await upsert_costs(session, rows, advance)
    finally:
        await engine.dispose()


def register(app: typer.Typer, database: Any, fail: Any, data_dir_option: Any) -> None:
    """Attach `rastro import-costs` to the CLI (the database context and error exit are the CLI's)."""

    @app.command("import-costs")
    def import_costs(
        file: Annotated[
            Path, typer.Argument(help="CSV with a header: date,source,medium,campaign,cost[,currency].")
        ],
        data_dir: data_dir_option = None,
    ) -> None:
        """Upsert ad spend per date, source, medium and campaign; all rows or none."""
        try:
            rows = read_costs(file)
        except CostFileError as error:
            raise fail(str(error)) from None
        with database(Settings(), data_dir, migrate=True) as url:
            err = Console(stderr=True)
            with Progress(console=err, transient=True) as progress:
                task = progress.add_task(f"Importing {file.name}", total=len(rows))
                counts = asyncio.run(store(url, rows, lambda n: progress.advance(task, n)))
        Console().print(
            f"{len(rows)} rows from {file}: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged.",
            markup=False, highlight=False, soft_wrap=True,
        )  # fmt: skip
