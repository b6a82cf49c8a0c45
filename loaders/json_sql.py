"""SQL expressions whose JSON is exactly what the Python path writes: values, cursors, global ids."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import InstrumentedAttribute

from loaders.keyset import Ordering
from models.base import JSONB_ONLY_STRINGS


def name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def column_name(column: InstrumentedAttribute[Any]) -> str:
    return str(column.property.columns[0].name)


def column(alias: str, attribute: InstrumentedAttribute[Any]) -> str:
    return f"{alias}.{name(column_name(attribute))}"


def table_name(model: type[Any]) -> str:
    return name(model.__table__.name)


def attribute_column(model: type[Any], attribute: str) -> str:
    """The SQL column behind a model attribute (`metadata_` is column "metadata")."""
    return str(model.__mapper__.attrs[attribute].columns[0].name)


def iso_datetime(expr: str) -> str:
    """datetime.isoformat() of a timestamptz as asyncpg returns it (UTC): microseconds only when not zero."""
    utc = f"({expr} AT TIME ZONE 'UTC')"
    return (
        f"(CASE WHEN date_trunc('second', {utc}) = {utc} "
        f"""THEN to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"') """
        f"""ELSE to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') END)"""
    )


def float_number(expr: str) -> str:
    """A double as JSON the way Python writes it: a whole one with ".0" (PostgreSQL writes 1.0 as 1, which the
    response would then carry as the integer 1); beyond 1e15 both write an exponent."""
    return (
        f"(CASE WHEN {expr} = trunc({expr}) AND abs({expr}) < 1e15 THEN ({expr}::text || '.0')::json "
        f"ELSE to_json({expr}) END)"
    )


def compact_jsonb(expr: str) -> str:
    """jsonb's text without the space it writes after each `:` and `,` outside strings (strings are matched
    whole, escapes included): orjson's bytes when the value holds no numbers (jsonb keeps `1.50`)."""
    return f"""regexp_replace(({expr})::text, '("(?:[^"\\\\]|\\\\.)*")|([,:]) ', '\\1\\2', 'g')::json"""


def strings_only(column: InstrumentedAttribute[Any]) -> bool:
    """A jsonb column whose check constraint admits only strings in it."""
    sql_column = column.property.columns[0]
    return isinstance(sql_column.type, JSONB) and bool(sql_column.info.get(JSONB_ONLY_STRINGS))


def json_value(expr: str, column: InstrumentedAttribute[Any]) -> str:
    """The column as the GraphQL scalar of its Python type serializes it (DateTime, Date, Decimal...)."""
    kind = column.property.columns[0].type
    if strings_only(column):
        return compact_jsonb(expr)
    if isinstance(kind, DateTime):
        return iso_datetime(expr)
    if isinstance(kind, Date):
        return f"to_char({expr}, 'YYYY-MM-DD')"
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return f"({expr})::text"
    return expr


# Column types whose JSON PostgreSQL writes byte for byte as orjson does (other jsonb is spaced and keeps
# its numbers' digits, floats have their own: those answers are parsed and written again).
COMPACT_TYPES = (String, Integer, Boolean, DateTime, Date, Uuid, Numeric)


def compact_json(column: InstrumentedAttribute[Any]) -> bool:
    """Whether json_value of the column is already what orjson writes for its Python value."""
    kind = column.property.columns[0].type
    return strings_only(column) or (isinstance(kind, COMPACT_TYPES) and not isinstance(kind, Float))


def enum_name(expr: str, names_by_value: dict[str, str]) -> str:
    """A GraphQL enum is written by name; the database holds its value."""
    whens = " ".join(f"WHEN {literal(value)} THEN {literal(key)}" for value, key in names_by_value.items())
    return f"(CASE ({expr})::text {whens} END)"


PARAM_TYPES: dict[type, str] = {
    bool: "boolean",
    int: "bigint",
    str: "text",
    uuid.UUID: "uuid",
    dt.datetime: "timestamptz",
    dt.date: "date",
    Decimal: "numeric",
}


def param_type(column: InstrumentedAttribute[Any]) -> str:
    """A cast for a parameter compared with this column; never one that could truncate the value."""
    return PARAM_TYPES[column.property.columns[0].type.python_type]


def _cursor_part(expr: str, column: InstrumentedAttribute[Any]) -> str:
    """JSON text of one sort value as loaders.keyset.encode_cursor writes it."""
    kind = column.property.columns[0].type.python_type
    if kind is dt.datetime:
        text = "'\"' || " + iso_datetime(expr) + " || '\"'"
    elif kind is dt.date:
        text = f"'\"' || to_char({expr}, 'YYYY-MM-DD') || '\"'"
    elif kind in (uuid.UUID, Decimal):
        text = f"'\"' || ({expr})::text || '\"'"
    elif kind in (int, bool):
        text = f"({expr})::text"
    else:
        text = f"to_json(({expr})::text)::text"
    return f"coalesce({text}, 'null')"


def cursor(tag: str, ordering: Ordering, alias: str) -> str:
    """loaders.keyset.encode_cursor(tag, values) of the row `alias`, in SQL."""
    parts = " || ',' || ".join(
        _cursor_part(f"{alias}.{name(column_name(column))}", column) for column, _ in ordering.columns
    )
    head = literal("[" + json.dumps(tag, ensure_ascii=False) + ",[")
    raw = f"convert_to({head} || {parts} || ']]', 'UTF8')"
    return f"rtrim(translate(encode({raw}, 'base64'), E'+/\\n', '-_'), '=')"


def global_id(type_name: str, key_expr: str) -> str:
    """base64('Type:key'), as schema.node.encode_global_id writes it."""
    raw = f"convert_to({literal(type_name + ':')} || ({key_expr})::text, 'UTF8')"
    return f"translate(encode({raw}, 'base64'), E'\\n', '')"


def order_by(ordering: Ordering, alias: str, backward: bool) -> str:
    return ", ".join(
        f"{alias}.{name(column_name(column))} {'DESC' if descending != backward else 'ASC'}"
        for column, descending in ordering.columns
    )


def after(ordering: Ordering, alias: str, params: list[str], backward: bool) -> str:
    """Rows strictly after the cursor's values (`params`), as loaders.keyset.after_predicate says."""
    columns = [
        (f"{alias}.{name(column_name(column))}", descending, f"{param}::{param_type(column)}")
        for (column, descending), param in zip(ordering.columns, params, strict=True)
    ]
    alternatives = []
    for index, (column, descending, value) in enumerate(columns):
        # `c == v` in SQLAlchemy is `c IS NULL` for a null v; IS NOT DISTINCT FROM says both.
        equal = [f"{c} IS NOT DISTINCT FROM {v}" for c, _, v in columns[:index]]
        beyond = f"{column} {'<' if descending != backward else '>'} {value}"
        alternatives.append("(" + " AND ".join([*equal, beyond]) + ")")
    return "(" + " OR ".join(alternatives) + ")"
