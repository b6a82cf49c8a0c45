"""Descriptions of the schema members whose meaning is shared or plain from the source documents, keyed by
schema coordinate (`Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`); the rest sit on their
definitions. One module per area (phrases: what several say alike); `describe` refuses a coordinate that
names nothing or is already described, so the two never disagree."""

import re

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
)

from schema.descriptions import analytics, checkout, enums, roots, tracking

Member = GraphQLNamedType | GraphQLField | GraphQLArgument | GraphQLEnumValue | GraphQLInputField

# Said once for every connection, like the paging arguments.
EDGE_FIELDS = {
    "cursor": "Where this edge stands: pass it as after or before to page from here.",
    "node": "The item at this edge.",
}
MUTATION_ERRORS = "Why nothing was written (a value refused, a row not found); empty on success."


def by_coordinate(*areas: dict[str, str]) -> dict[str, str]:
    """The areas' descriptions in one dict; a coordinate described in two areas is refused."""
    merged: dict[str, str] = {}
    for area in areas:
        for coordinate, description in area.items():
            if coordinate in merged:
                raise ValueError(f"{coordinate} is described twice")
            merged[coordinate] = description
    return merged


DESCRIPTIONS = by_coordinate(
    roots.DESCRIPTIONS,
    analytics.DESCRIPTIONS,
    enums.DESCRIPTIONS,
    tracking.DESCRIPTIONS,
    checkout.DESCRIPTIONS,
)

COORDINATE = re.compile(r"^(\w+)(?:\.(\w+)(?:\((\w+):\))?)?$")


def member(schema: GraphQLSchema, coordinate: str) -> Member:
    match = COORDINATE.match(coordinate)
    if match is None:
        raise ValueError(f"not a schema coordinate: {coordinate}")
    type_name, field_name, argument_name = match.groups()
    named = schema.type_map[type_name]
    if field_name is None:
        return named
    if isinstance(named, GraphQLEnumType):
        value: GraphQLEnumValue = named.values[field_name]
        return value
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType), coordinate
    field: GraphQLField | GraphQLInputField = named.fields[field_name]
    if argument_name is None:
        return field
    assert isinstance(field, GraphQLField), coordinate
    return field.args[argument_name]


def describe(schema: GraphQLSchema) -> None:
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType):
            for name, field in named.fields.items():
                if field.description is None and named.name.endswith("Edge") and name in EDGE_FIELDS:
                    field.description = EDGE_FIELDS[name]
                if field.description is None and name == "errors" and str(field.type) == "[MutationError!]!":
                    field.description = MUTATION_ERRORS
    for coordinate, description in DESCRIPTIONS.items():
        described = member(schema, coordinate)
        if described.description is not None:
            raise ValueError(f"{coordinate} is described where it is defined already")
        described.description = description
