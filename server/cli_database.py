"""What every `rastro` command that touches the database shares: the database opener, its option, errors."""

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from integrations.secret_box import SecretBox
from server import trusted_documents as trusted
from server.database import create_engine, create_sessionmaker, describe_host
from server.dbcheck import DatabaseUnreachable, check_reachable
from server.embedded import embedded_postgres
from server.lifecycle import sigterm_unwinds
from server.migrate import upgrade
from server.settings import Settings

T = TypeVar("T")
err = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Embedded PostgreSQL data directory (when DATABASE_URL is not set)."),
]


def fail(message: str) -> typer.Exit:
    err.print(f"rastro: {message}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


@contextlib.contextmanager
def database(settings: Settings, data_dir: Path | None, migrate: bool = False) -> Iterator[str]:
    """DATABASE_URL when set, else the embedded server (started here, stopped on exit); checked reachable."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(sigterm_unwinds())  # so the embedded server below is stopped on SIGTERM too
        url = settings.database_url
        if not url:
            embedded_dir = data_dir or settings.data_dir
            url = stack.enter_context(embedded_postgres(embedded_dir))
            keep_secret_key(embedded_dir)
        try:
            asyncio.run(check_reachable(url))
        except DatabaseUnreachable as error:
            raise fail(f"cannot reach PostgreSQL at {describe_host(url)}: {error}") from None
        if migrate:
            run_migrations(url)
        yield url


def keep_secret_key(data_dir: Path) -> None:
    """The embedded database's secrets key lives beside its data, made on first use, unless one is set."""
    if os.environ.get("RASTRO_SECRET_KEY"):
        return
    path = data_dir.parent / f"{data_dir.name}.secret-key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(SecretBox.generate_key(), encoding="ascii")
    os.environ["RASTRO_SECRET_KEY"] = path.read_text(encoding="ascii").strip()


def run_migrations(url: str) -> None:
    asyncio.run(upgrade(url))


def with_sessions(url: str, action: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(url, Settings())
        try:
            return await action(create_sessionmaker(engine))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except trusted.TrustedDocumentsError as error:
        raise fail(str(error)) from None
