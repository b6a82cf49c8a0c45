"""`rastro import-costs FILE.csv`: marketing costs from a spreadsheet, through importMarketingCosts' code."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolvers.checkout.costs import CostCounts, CostRow, cost_failures, normalized, upsert_costs
from server.cli_database import DataDir, database, fail, with_sessions
from server.csv_import import ImportFileError, read_table, refuse_if_any
from server.settings import Settings

COLUMNS = ("date", "source", "medium", "campaign", "cost")
OPTIONAL = {"currency": "BRL"}


def read_costs(path: Path) -> list[CostRow]:
    header, records, problems = read_table(path)
    name = path.name
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        expected = ",".join((*COLUMNS, *OPTIONAL))
        raise ImportFileError(f"{name}: the header lacks {', '.join(missing)} (expected {expected})")
    rows: list[CostRow] = []
    by_index: list[int] = []  # the file's line of each row
    for line, cells in records:
        where = f"{name} line {line}"
        try:
            date = dt.date.fromisoformat(cells.get("date") or "")
        except ValueError:
            problems.append(f"{where}, column date: {cells.get('date') or ''!r} is not a date as YYYY-MM-DD")
            continue
        cost_text = cells.get("cost") or ""
        try:
            cost = Decimal(cost_text)
        except InvalidOperation:
            problems.append(f"{where}, column cost: {cost_text!r} is not a number (decimal point: '.')")
            continue
        text = {column: cells.get(column) or "" for column in ("source", "medium", "campaign")}
        currency = cells.get("currency") or OPTIONAL["currency"]
        rows.append(
            normalized(CostRow(date, text["source"], text["medium"], text["campaign"], cost, currency))
        )
        by_index.append(line)
    if not problems:
        for failure in cost_failures(rows, ()):
            field = failure.field or ()
            where = f"{name} line {by_index[int(field[0])]}" if field else name
            column = f", column {field[1]}" if len(field) > 1 else ""
            problems.append(f"{where}{column}: {failure.message}")
    refuse_if_any(problems)
    return rows


async def store(
    sessions: async_sessionmaker[AsyncSession], rows: list[CostRow], advance: Callable[[int], None]
) -> CostCounts:
    async with sessions.begin() as session:
        return await upsert_costs(session, rows, advance)


def register(app: typer.Typer) -> None:
    """Attach `rastro import-costs` to the CLI."""

    @app.command("import-costs")
    def import_costs(
        file: Annotated[
            Path, typer.Argument(help="CSV with a header: date,source,medium,campaign,cost[,currency].")
        ],
        data_dir: DataDir = None,
    ) -> None:
        """Upsert ad spend per date, source, medium and campaign; all rows or none."""
        try:
            rows = read_costs(file)
        except ImportFileError as error:
            raise fail(str(error)) from None
        with database(Settings(), data_dir, migrate=True) as url:
            err = Console(stderr=True)
            with Progress(console=err, transient=True) as progress:
                task = progress.add_task(f"Importing {file.name}", total=len(rows))
                counts = with_sessions(
                    url, lambda sessions: store(sessions, rows, lambda n: progress.advance(task, n))
                )
        Console().print(
            f"{len(rows)} rows from {file}: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged.",
            markup=False, highlight=False, soft_wrap=True,
        )  # fmt: skip
