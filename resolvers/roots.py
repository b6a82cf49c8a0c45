"""Top-level lookups and lists."""

from typing import Any

from sqlalchemy import ColumnElement

from loaders.keyset import Ordering, connection_tag
from loaders.page import Page
from loaders.paged import root_page
from resolvers.context import Info
from resolvers.pagination import window


async def root_connection(
    info: Info,
    model: type[Any],
    where: list[ColumnElement[bool]],
    ordering: Ordering,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Page[Any]:
    tag = connection_tag(model, ordering)
    page_window = window(info.context.limits, tag, ordering, first, after, last, before)
    return await root_page(info.context.loaders.sessions, model, where, ordering, tag, page_window)
