"""Validation of Relay arguments (first/after/last/before) into a keyset Window."""

from loaders.keyset import CursorError, Ordering, Window, decode_cursor
from resolvers.context import Limits
from resolvers.errors import ArgumentError


def window(
    limits: Limits,
    tag: str,
    ordering: Ordering,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Window:
    """Validate Relay arguments into a Window; every mistake names its argument."""
    if first is not None and last is not None:
        raise ArgumentError("last", "cannot be combined with 'first': page forward or backward, not both")
    if after is not None and before is not None:
        raise ArgumentError("before", "cannot be combined with 'after'")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= limits.max_page_size:
            raise ArgumentError(name, f"must be between 0 and {limits.max_page_size}, got {value}")
    backward = last is not None or (before is not None and first is None)
    if backward and after is not None:
        raise ArgumentError("after", "cannot be combined with 'last': use 'before' to page backward")
    if not backward and before is not None:
        raise ArgumentError("before", "cannot be combined with 'first': use 'after' to page forward")
    size = last if backward else first
    cursor_arg, cursor = ("before", before) if backward else ("after", after)
    try:
        values = decode_cursor(tag, ordering, cursor) if cursor is not None else None
    except CursorError as error:
        raise ArgumentError(cursor_arg, str(error)) from error
    return Window(limit=limits.default_page_size if size is None else size, cursor=values, backward=backward)
