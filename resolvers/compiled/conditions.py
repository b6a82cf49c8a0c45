"""A root list's filter conditions (SQLAlchemy clauses, as the Python path runs them) as compiled SQL text.

The clauses are compiled once per request against a placeholder alias of the root table, with numbered
parameters; the compiler then names the alias and shifts the numbers to where they sit in its statement.
"""

import re
from typing import Any

from sqlalchemy import ClauseElement, ColumnElement, Executable, Select, literal_column, select, text
from sqlalchemy.dialects.postgresql import asyncpg
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.util import ClauseAdapter

ROW = "rastro_filtered"
DIALECT = asyncpg.dialect()  # type: ignore[no-untyped-call]
PARAMETER = re.compile(r"\$(\d+)")


def condition_sql(model: type[Any], clauses: list[ColumnElement[bool]]) -> tuple[str, list[Any]]:
    """The conditions as SQL over the row `rastro_filtered`, with their parameters ($1...) in order."""
    row = model.__table__.alias(ROW)
    adapter = ClauseAdapter(row)
    statement: Select[Any] = (
        select(literal_column("1")).select_from(row).where(*(adapter.traverse(c) for c in clauses))
    )
    compiled = statement.compile(dialect=DIALECT, compile_kwargs={"render_postcompile": True})
    # The statement is ours: one table, so its first WHERE is the top-level one.
    condition = str(compiled).split("\nWHERE ", 1)[1]
    return condition, [compiled.params[name] for name in compiled.positiontup or ()]


def statement_sql(query: tuple[str, Any] | Executable) -> tuple[str, list[Any]]:
    """A report's statement (SQL text and its Statement, or SQLAlchemy) as the Python path sends it, with its
    parameters ($1...) in order."""
    # Text binds stay untyped, as when the Python path executes the text with its values.
    statement, values = (text(query[0]), query[1].params) if isinstance(query, tuple) else (query, None)
    assert isinstance(statement, ClauseElement)
    compiled = statement.compile(dialect=DIALECT, compile_kwargs={"render_postcompile": True})
    assert isinstance(compiled, SQLCompiler)
    values = compiled.params if values is None else values
    return str(compiled), [values[name] for name in compiled.positiontup or ()]


def shift(sql: str, first: int) -> str:
    """SQL whose parameters are numbered from `first` + 1 instead of 1."""
    return PARAMETER.sub(lambda found: f"${first + int(found[1])}", sql)


def place(condition: str, alias: str, first: int) -> str:
    """The condition over the row `alias`, its parameters numbered from `first` + 1."""
    # Parameters are bound, so neither the alias nor a `$` can come from a request's values.
    return shift(condition, first).replace(f"{ROW}.", f"{alias}.")
