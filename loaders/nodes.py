"""Node kinds: which model and key each GraphQL object type reads (global ids are 'Type:key')."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import InstrumentedAttribute


@dataclass(frozen=True)
class NodeKind:
    name: str
    model: type[Any]
    key: InstrumentedAttribute[Any]


KINDS_BY_NAME: dict[str, NodeKind] = {}
KINDS_BY_MODEL: dict[type[Any], NodeKind] = {}
