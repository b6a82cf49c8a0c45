"""Is the database reachable, and is it empty? One clear reason when it is not reachable."""

import asyncio
import socket

import asyncpg

from server.database import libpq_url


class DatabaseUnreachable(Exception):
    pass


async def check_reachable(url: str, connect_timeout: float = 10.0) -> None:
    try:
        connection = await asyncpg.connect(libpq_url(url), timeout=connect_timeout)
    except (OSError, TimeoutError, socket.gaierror) as error:
        raise DatabaseUnreachable(_reason(error)) from error
    except asyncpg.PostgresError as error:
        raise DatabaseUnreachable(f"{type(error).__name__}: {error}") from error
    await connection.close()


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        return f"host name not found ({error.strerror})"
    if isinstance(error, TimeoutError | asyncio.TimeoutError):
        return "connection timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is PostgreSQL running and listening there?)"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


async def is_empty(url: str) -> bool:
    connection = await asyncpg.connect(libpq_url(url))
    try:
        return not await connection.fetchval("SELECT EXISTS (SELECT 1 FROM domains)")
    finally:
        await connection.close()
