"""The Query root."""

import strawberry

import models
from resolvers.context import Info
from resolvers.errors import ArgumentError
from resolvers.roots import DOMAINS_BY_NAME, root_connection
from schema.node import Node, load_node
from schema.pagination import Connection
from schema.types.tracking import Domain


@strawberry.type
class Query:
    @strawberry.field(description="Any object by its global id; null when it does not exist.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await load_node(info, id)  # type: ignore[no-any-return]

    @strawberry.field(description="Domains, by name.")
    async def domains(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Domain]:
        page = await root_connection(info, models.Domain, [], DOMAINS_BY_NAME, first, after, last, before)
        return Connection(page=page)

    @strawberry.field(description="One domain by its id or its name; null when none matches.")
    async def domain(
        self, info: Info, domain_id: strawberry.ID | None = None, domain_name: str | None = None
    ) -> Domain | None:
        if (domain_id is None) == (domain_name is None):
            raise ArgumentError("domainId", "or 'domainName': give exactly one")
        if domain_name is not None:
            return await info.context.loaders.one(models.Domain.domain_name).load(domain_name)  # type: ignore[no-any-return]
        return None
