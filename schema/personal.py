"""The one masking rule: personal data is returned only to roles that may see it; others get null."""

from collections.abc import Iterable, Mapping
from typing import Any

import strawberry
from graphql import ArgumentNode, Node, ObjectFieldNode, Visitor, visit
from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver, SyncExtensionResolver

from loaders.relation import PERSONAL
from resolvers.context import Context
from resolvers.errors import ForbiddenError

# Arguments and filter fields that look rows up by personal data: a role that may not read a value may not
# test it either. The compiled read path leaves documents using them to the Python resolvers, which refuse.
PERSONAL_LOOKUPS = frozenset({"email", "customerEmail"})


class PersonalData(FieldExtension):
    def resolve(
        self, next_: SyncExtensionResolver, source: Any, info: strawberry.Info[Context, None], **kwargs: Any
    ) -> Any:
        return next_(source, info, **kwargs) if info.context.sees_personal_data else None

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: strawberry.Info[Context, None], **kwargs: Any
    ) -> Any:
        return await next_(source, info, **kwargs) if info.context.sees_personal_data else None


def personal(description: str) -> Any:
    """A nullable field holding personal data (name, e-mail, phone, document, IP, user agent)."""
    return strawberry.field(
        description=f"{description} Personal data: null for the viewer role.",
        extensions=[PersonalData()],
        metadata={PERSONAL: True},
    )


def refuse_personal_lookup(info: strawberry.Info[Context, None], argument: str, value: object) -> None:
    """FORBIDDEN when a role that may not read personal data gives a lookup by it."""
    if value is not None and not info.context.sees_personal_data:
        raise ForbiddenError(
            f"'{argument}' looks people up by personal data, which this key's role may not read; "
            "look them up by id"
        )


def names_personal_lookup(nodes: Iterable[Node]) -> bool:
    """Whether a document (an operation and its fragments) names an argument or input field of
    PERSONAL_LOOKUPS."""

    class Finder(Visitor):
        found = False

        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            self.found = self.found or node.name.value in PERSONAL_LOOKUPS

        def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
            self.found = self.found or node.name.value in PERSONAL_LOOKUPS

    finder = Finder()
    for node in nodes:
        visit(node, finder)
    return finder.found


def personal_in_variables(value: object) -> bool:
    """Whether variables hold an input field of PERSONAL_LOOKUPS, at any depth."""
    if isinstance(value, Mapping):
        return any(key in PERSONAL_LOOKUPS or personal_in_variables(item) for key, item in value.items())
    return isinstance(value, list) and any(personal_in_variables(item) for item in value)
