"""Test databases: real PostgreSQL (DATABASE_URL, else embedded), a template per dataset, a copy per test."""

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from server.database import libpq_url


def with_database(url: str, name: str) -> str:
    return make_url(libpq_url(url)).set(database=name).render_as_string(hide_password=False)


async def _admin(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(with_database(url, "postgres"))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def admin(url: str, *statements: str) -> None:
    asyncio.run(_admin(url, *statements))


def create_database(url: str, name: str, template: str | None = None) -> str:
    clause = f' TEMPLATE "{template}"' if template else ""
    admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"{clause}')
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@contextmanager
def server_url(tmp_root: Path) -> Iterator[str]:
    """DATABASE_URL when set (CI), else an embedded PostgreSQL for this test run."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    from server.embedded import embedded_postgres

    with embedded_postgres(tmp_root / "pgdata") as url:
        yield url


async def _rastro_databases(url: str) -> list[str]:
    connection = await asyncpg.connect(with_database(url, "postgres"))
    try:
        names = [
            r[0]
            for r in await connection.fetch("SELECT datname FROM pg_database WHERE datname LIKE 'rastro\\_%'")
        ]
    finally:
        await connection.close()
    return names


def drop_stale_databases(url: str) -> None:
    """Databases left by test runs that were killed (their process is gone)."""
    for name in asyncio.run(_rastro_databases(url)):
        match = re.fullmatch(r"rastro_\w+?_(\d+)_[0-9a-f]{8}", name)
        if match and not Path(f"/proc/{match.group(1)}").exists():
            drop_database(url, name)
