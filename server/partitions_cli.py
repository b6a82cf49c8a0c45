"""`rastro partitions` and `rastro retention`: months made ahead, old data anonymized or detached."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import asyncpg  # type: ignore[import-untyped]  # no stubs: connections are Any
import typer
from rich.console import Console

from server.cli_database import DataDir, database, with_sessions
from server.database import libpq_url
from server.partitions import Detached, Made, detach_old_partitions, ensure_partitions
from server.settings import Settings

T = TypeVar("T")
out = Console()


def _on_connection(url: str, action: Callable[[Any], Awaitable[T]]) -> T:
    async def run() -> T:
        connection = await asyncpg.connect(
            libpq_url(url), server_settings={"application_name": "rastro-partitions"}
        )
        try:
            return await action(connection)
        finally:
            await connection.close()

    return asyncio.run(run())


def _say(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Attach `rastro partitions` and `rastro retention` to the CLI."""

    @app.command()
    def partitions(
        months_ahead: Annotated[
            int, typer.Option("--months-ahead", min=0, max=36, help="Months to create after the current one.")
        ] = 3,
        data_dir: DataDir = None,
    ) -> None:
        """Create the monthly partitions of the coming months (and of rows that fell into DEFAULT)."""
        settings = Settings()
        with database(settings, data_dir, migrate=not settings.database_url) as url:
            made: Made = _on_connection(url, lambda connection: ensure_partitions(connection, months_ahead))
        if not made.created and not made.by_partman:
            _say("No partitioned tables: is the database migrated (rastro migrate)?")
        for table, names in made.created.items():
            _say(f"{table}: created {', '.join(names)}" if names else f"{table}: up to date")
        for table in made.by_partman:
            _say(f"{table}: pg_partman maintenance run")

    @app.command()
    def retention(
        months: Annotated[
            int | None,
            typer.Option("--months", min=1, help="Period to keep (default RASTRO_RETENTION_MONTHS)."),
        ] = None,
        detach_after: Annotated[
            int | None,
            typer.Option(
                "--detach-after",
                min=1,
                help="Detach monthly partitions older than this many months "
                "(default RASTRO_PARTITION_RETENTION_MONTHS; unset: none).",
            ),
        ] = None,
        drop: Annotated[bool, typer.Option("--drop", help="Drop the detached partitions too.")] = False,
        data_dir: DataDir = None,
    ) -> None:
        """Anonymize tracking personal data (client IP, user agent) older than the retention period, and
        detach whole monthly partitions older than the partition retention period."""
        from resolvers.retention import anonymize_tracking

        settings = Settings()
        period = months or settings.retention_months
        keep = detach_after or settings.partition_retention_months
        with database(settings, data_dir, migrate=not settings.database_url) as url:
            detached: list[Detached] = (
                _on_connection(url, lambda connection: detach_old_partitions(connection, keep, drop))
                if keep
                else []
            )
            counts = with_sessions(url, lambda sessions: anonymize_tracking(sessions, period))
        for done in detached:
            _say(f"{done.table}: {'dropped' if done.dropped else 'detached'} {done.partition}")
        if keep:
            _say(f"Partitions older than {keep} months: {len(detached)} {'dropped' if drop else 'detached'}.")
        summary = ", ".join(f"{table} {count}" for table, count in counts.items())
        _say(f"Anonymized tracking data older than {period} months: {summary}.")
