"""The subject's rows in every table of the declaration, found in one pass in declaration order."""

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.data_subject.declaration import PERSONAL_TABLES, PersonalTable
from resolvers.data_subject.subject import Subject


@dataclass
class Found:
    """Per table, in declaration order: the primary keys and the rows (as JSON objects) of the subject."""

    keys: dict[str, list[Any]] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {table: len(keys) for table, keys in self.keys.items()}


def select_rows(table: PersonalTable, lock: bool) -> str:
    provided = "".join(f", {sql} AS provided_{name}" for name, sql in table.provides.items())
    locking = " FOR UPDATE OF t" if lock and table.columns else ""
    return (
        f"SELECT t.{table.key} AS key, to_jsonb(t)::text AS row{provided} "
        f"FROM {table.name} t WHERE {table.rows} ORDER BY t.{table.key}{locking}"
    )


async def linked_email_hashes(session: AsyncSession, params: dict[str, Any]) -> list[str]:
    """E-mail hashes of the leads and customers the identifier names: one hop, as a lead finds its sales."""
    first = [table for table in PERSONAL_TABLES if table.name in ("leads", "customers")]
    union = " UNION ".join(f"SELECT t.hashed_email FROM {table.name} t WHERE {table.rows}" for table in first)
    hashes = (await session.execute(text(union), params)).scalars()
    return sorted({*params["email_hashes"], *(h for h in hashes if h is not None)})


async def find_subject(session: AsyncSession, subject: Subject, lock: bool = False) -> Found:
    """Every row the declaration links to the subject; `lock` row-locks the ones erasure will change."""
    params = subject.params()
    params["email_hashes"] = await linked_email_hashes(session, params)
    found = Found()
    for table in PERSONAL_TABLES:
        result = (await session.execute(text(select_rows(table, lock)), params)).mappings().all()
        found.keys[table.name] = [row["key"] for row in result]
        found.rows[table.name] = [json.loads(row["row"]) for row in result]
        for name in table.provides:
            values = {row[f"provided_{name}"] for row in result} - {None, ""}
            params[name] = sorted({*params.get(name, []), *values})
    return found
