"""Relay connections: the Connection, Edge and PageInfo types."""

from typing import Any, Generic, TypeVar

import strawberry

from loaders.page import Page

T = TypeVar("T")


@strawberry.type(description="Where a page stands in its connection.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="A node and the cursor that points at it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list: edges or nodes, pageInfo, and totalCount on demand.")
class Connection(Generic[T]):
    page: strawberry.Private[Page[Any]]

    @strawberry.field(description="The nodes of this page, with their cursors.")
    def edges(self) -> list[Edge[T]]:
        return [Edge(cursor=c, node=n) for c, n in zip(self.page.cursors, self.page.rows, strict=True)]

    @strawberry.field(description="The nodes of this page.")
    def nodes(self) -> list[T]:
        return self.page.rows

    @strawberry.field(description="Cursors and whether more pages exist.")
    def page_info(self) -> PageInfo:
        cursors = self.page.cursors
        return PageInfo(
            has_next_page=self.page.has_next_page,
            has_previous_page=self.page.has_previous_page,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )

    @strawberry.field(description="How many nodes match, across all pages (counted only when asked).")
    async def total_count(self) -> int:
        return await self.page.count()
