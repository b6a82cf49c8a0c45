"""Every plain scalar field of every Node type reads a model column of the same name, type and nullability."""

import datetime as dt
import decimal
import enum
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.dialects.postgresql import INET
from strawberry.types.base import StrawberryOptional, get_object_definition

import migrations
from schema.node import KINDS_BY_NAME
from schema.personal import PersonalData
from schema.schema import schema

SCALARS: dict[Any, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    bool: (bool,),
    uuid.UUID: (uuid.UUID,),
    dt.datetime: (dt.datetime,),
    dt.date: (dt.date,),
    decimal.Decimal: (decimal.Decimal,),
}


def plain_fields() -> list[tuple[str, Any, Any]]:
    found = []
    for name, kind in sorted(KINDS_BY_NAME.items()):
        definition = get_object_definition(kind_type(name), strict=True)
        for field in definition.fields:
            if field.base_resolver is None and field.python_name != "id":
                found.append((name, kind, field))
    return found


def kind_type(name: str) -> Any:
    return next(
        t for t in schema.schema_converter.type_map.values() if t.definition.name == name
    ).definition.origin


@pytest.mark.parametrize(
    ("type_name", "kind", "field"), plain_fields(), ids=lambda v: getattr(v, "python_name", v)
)
def test_field_matches_its_column(type_name: str, kind: Any, field: Any) -> None:
    columns = inspect(kind.model).columns
    attribute = inspect(kind.model).attrs.get(field.python_name)
    assert attribute is not None, f"{type_name}.{field.name} reads no column of {kind.model.__tablename__}"
    column = columns[attribute.columns[0].key] if hasattr(attribute, "columns") else None
    assert column is not None
    optional = isinstance(field.type, StrawberryOptional)
    masked = any(isinstance(extension, PersonalData) for extension in field.extensions)
    if not masked:
        assert optional == column.nullable, (
            f"{type_name}.{field.name}: nullable {column.nullable}, field {field.type}"
        )
    inner = field.type.of_type if optional else field.type
    python_type = str if isinstance(column.type, INET) else column.type.python_type
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return
    if inner in SCALARS:
        assert issubclass(python_type, SCALARS[inner]), (
            f"{type_name}.{field.name}: column {python_type}, field {inner}"
        )
    else:
        assert python_type in (dict, list, object), (
            f"{type_name}.{field.name}: {inner} for column {python_type}"
        )


def test_every_node_type_is_checked() -> None:
    reference = (Path(migrations.__file__).parent / "versions" / "0001_reference_schema.sql").read_text()
    tables = set(re.findall(r"CREATE TABLE (\w+)", reference))
    assert len(tables) == 24
    assert tables <= {kind.model.__tablename__ for kind in KINDS_BY_NAME.values()}
    assert len(plain_fields()) > 150
