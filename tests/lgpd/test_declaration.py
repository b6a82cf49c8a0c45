"""The data-subject declaration covers every column the access matrix masks as personal, and names only
real tables and columns: a personal column added to the schema without a declaration fails here."""

from sqlalchemy import inspect
from strawberry.types.base import get_object_definition

from loaders.relation import PERSONAL
from models import Base
from resolvers.data_subject.declaration import PERSONAL_TABLES, PERSONAL_TABLES_BY_NAME
from schema.node import KINDS_BY_NAME
from tests.schema.test_fields_match_columns import kind_type

TABLES = {table.name: table for table in Base.metadata.sorted_tables}


def personal_columns() -> set[tuple[str, str]]:
    """(table, column) of every Node type field marked personal (schema/personal.py)."""
    found = set()
    for name, kind in KINDS_BY_NAME.items():
        mapper = inspect(kind.model)
        for field in get_object_definition(kind_type(name), strict=True).fields:
            if (field.metadata or {}).get(PERSONAL):
                attribute = mapper.attrs.get(field.python_name)
                assert attribute is not None, f"{name}.{field.name} is personal but reads no column"
                found.add((kind.model.__tablename__, attribute.columns[0].name))
    return found


def test_every_personal_column_of_the_access_matrix_is_declared() -> None:
    marked = personal_columns()
    assert len(marked) >= 20
    declared = {(table.name, column) for table in PERSONAL_TABLES for column in table.columns}
    assert marked <= declared, (
        f"declare in resolvers/data_subject/declaration.py: {sorted(marked - declared)}"
    )


def test_the_declaration_names_real_tables_and_columns() -> None:
    for table in PERSONAL_TABLES:
        assert table.name in TABLES, table.name
        columns = TABLES[table.name].columns
        assert table.key in columns and columns[table.key].primary_key, table.name
        assert set(table.columns) <= set(columns.keys()), table.name
    assert len(PERSONAL_TABLES_BY_NAME) == len(PERSONAL_TABLES)
