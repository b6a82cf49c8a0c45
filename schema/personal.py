"""The one masking rule: personal data is returned only to roles that may see it; others get null."""

from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver, SyncExtensionResolver

from loaders.relation import PERSONAL
from resolvers.context import Context


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
