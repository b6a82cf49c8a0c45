"""Payload fields that return model rows as the object types of schema.types (resolved lazily)."""

from typing import Any

import strawberry

from schema.relations import lazy

LEADS = "schema.types.leads"
CONVERSIONS = "schema.types.conversions"


def row_field(type_name: str, module: str, description: str) -> Any:
    """A nullable field holding a model row, shown as the GraphQL type `type_name` of `module`."""
    return strawberry.field(
        default=None, graphql_type=lazy(type_name, module) | None, description=description
    )
