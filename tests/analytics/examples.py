"""The SQL examples of the source documents, run as seed_queries.py runs them, to compare reports with."""

import asyncio
import datetime as dt
import importlib.util
import sys
from decimal import Decimal
from functools import cache
from types import ModuleType
from typing import Any

import asyncpg
import httpx

from tests.paths import SEED_QUERIES

DOC_000 = "000_d2cf18ba090445c5.txt"
DOC_002 = "002_4986e0814b36aebb.txt"
TIME_ZONE = "America/Sao_Paulo"


@cache
def seed_queries() -> ModuleType:
    spec = importlib.util.spec_from_file_location("seed_queries", SEED_QUERIES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def example_sql(doc: str, number: int, **params: str) -> str:
    """The example's text with its :parameters given, and seed_queries.py's errata applied."""
    module = seed_queries()
    block = next(b for b in module.extract_blocks(module.SEEDS_DIR / doc) if b.number == number)
    sql = module.substitute(block.sql, params)
    for pattern, replacement, _why, _error in module.ERRATA:
        sql = pattern.sub(replacement, sql)
    return str(sql)


async def _fetch(url: str, sql: str, time_zone: str) -> list[dict[str, Any]]:
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction(readonly=True):
            await connection.execute(f"SET LOCAL TIME ZONE '{time_zone}'")
            return [dict(r) for r in await connection.fetch(sql)]
    finally:
        await connection.close()


def example_rows(url: str, sql: str, time_zone: str = TIME_ZONE) -> list[dict[str, Any]]:
    return asyncio.run(_fetch(url, sql, time_zone))


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def as_json(value: Any) -> Any:
    """A value as the API serializes it: decimals and instants as strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def expected(rows: list[dict[str, Any]], rename: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Example rows keyed as the report's fields (camelCase, or as renamed), valued as JSON."""
    names = rename or {}
    return [{names.get(k, camel(k)): as_json(v) for k, v in row.items()} for row in rows]


def report(client: httpx.Client, field: str, fields: str, **arguments: tuple[str, Any]) -> dict[str, Any]:
    """One report over HTTP, each argument given as (GraphQL type, value): its answer, failing on any error."""
    declared = ", ".join(f"${name}: {kind}" for name, (kind, _value) in arguments.items())
    passed = ", ".join(f"{name}: ${name}" for name in arguments)
    header = f"query ({declared})" if arguments else "query"
    call = f"{field}({passed})" if arguments else field
    query = f"{header} {{ analytics {{ {call} {{ dataAsOf materialized timeZone rows {{ {fields} }} }} }} }}"
    variables = {name: value for name, (_kind, value) in arguments.items()}
    answer = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in answer, answer
    return dict(answer["data"]["analytics"][field])


def canonical(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in rows)
