"""Inputs shared by list orders: the sort direction."""

import enum

import strawberry


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = "asc"
    DESC = "desc"
