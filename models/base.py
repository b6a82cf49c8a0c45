"""Declarative base, naming convention and the column types every model shares."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import DateTime, ForeignKeyConstraint, MetaData, Numeric, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}

uuid_pk = Annotated[
    uuid.UUID, mapped_column(UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid())
]
money2 = Annotated[Decimal, mapped_column(Numeric(15, 2))]
money4 = Annotated[Decimal, mapped_column(Numeric(15, 4))]
str20 = Annotated[str, 20]
str50 = Annotated[str, 50]
str100 = Annotated[str, 100]
str255 = Annotated[str, 255]
str320 = Annotated[str, 320]
str500 = Annotated[str, 500]
str512 = Annotated[str, 512]
str2048 = Annotated[str, 2048]
jsonb = Annotated[dict[str, Any], mapped_column(JSONB)]
# Column.info key of a jsonb column whose check constraint admits only strings (no numbers) in it.
JSONB_ONLY_STRINGS = "jsonb_only_strings"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str20: String(20),
        str50: String(50),
        str100: String(100),
        str255: String(255),
        str320: String(320),
        str500: String(500),
        str512: String(512),
        str2048: String(2048),
        dt.datetime: DateTime(timezone=True),
    }


def child_of(parent: str, key: str) -> ForeignKeyConstraint:
    """The row's parent with its domain: (key, domain_id) references the parent's, so the two always agree."""
    return ForeignKeyConstraint(
        [key, "domain_id"], [f"{parent}.{key}", f"{parent}.domain_id"], ondelete="CASCADE"
    )


class Timestamps:
    """created_at / updated_at, kept current by the rastro_set_updated_at() trigger."""

    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
