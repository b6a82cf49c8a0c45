"""Read and arrange the test database directly with asyncpg, to check what the API says against SQL."""

import asyncio
from typing import Any

import asyncpg


async def rows_async(url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        return list(await connection.fetch(query, *args))
    finally:
        await connection.close()


def rows(url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    return asyncio.run(rows_async(url, query, *args))


def fetch(url: str, query: str, *args: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in rows(url, query, *args)]


def fetch_one(url: str, query: str, *args: Any) -> dict[str, Any]:
    found = fetch(url, query, *args)
    assert len(found) == 1, found
    return found[0]


async def execute_async(url: str, sql: str, *args: Any) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(sql, *args)  # without args: a multi-statement script
    finally:
        await connection.close()


def execute(url: str, sql: str, *args: Any) -> None:
    asyncio.run(execute_async(url, sql, *args))
