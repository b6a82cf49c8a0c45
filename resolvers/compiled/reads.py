"""The compiled read path: plans by document, one statement per request, JSON from PostgreSQL."""

import logging
from collections import OrderedDict
from typing import Any

import orjson
from graphql import DocumentNode, GraphQLError, GraphQLSchema
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolvers.compiled.plan import Plan
from resolvers.compiled.sites import Unsupported
from resolvers.context import Limits

PlanKey = tuple[str, str | None]
log = logging.getLogger("rastro.compiled")


class CompiledReads:
    """Plans of the documents seen, by (query text, operation name); None for those it does not cover."""

    def __init__(self, size: int = 256) -> None:
        self.schema: GraphQLSchema | None = None
        self.size = size
        self._plans: OrderedDict[PlanKey, Plan | None] = OrderedDict()

    def attach(self, schema: GraphQLSchema) -> None:
        self.schema = schema

    def known(self, query: str, operation_name: str | None) -> Plan | None:
        """The plan of a document that passed validation before; None if unknown or not covered."""
        return self._plans.get((query, operation_name))

    def seen(self, query: str, operation_name: str | None) -> bool:
        return (query, operation_name) in self._plans

    def learn(self, query: str, operation_name: str | None, document: DocumentNode) -> Plan | None:
        """Only documents that passed Strawberry's validation (with every limit) are learnt."""
        assert self.schema is not None
        try:
            plan = Plan.build(self.schema, document, operation_name)
        except Exception:
            # A compiler bug must not fail the request: the Python path answers it.
            log.exception("could not compile a query; it runs in Python")
            plan = None
        self._plans[(query, operation_name)] = plan
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return plan

    async def data(
        self,
        plan: Plan,
        variables: Any,
        reads: async_sessionmaker[AsyncSession],
        limits: Limits,
        sees_personal_data: bool,
    ) -> str | None:
        """The `data` JSON text; None when these values need the Python path (it says what is wrong)."""
        try:
            sql, params = plan.bind(variables, limits, sees_personal_data)
        except (Unsupported, GraphQLError):
            return None
        try:
            async with reads() as session:
                connection = await session.connection()
                result = await connection.exec_driver_sql(sql, tuple(params))
                return str(result.scalar_one())
        except DBAPIError:
            # The Python path meets the same failure, and reports it the way every error is reported.
            log.warning("a compiled query failed; it runs in Python")
            return None


def response_body(data: str) -> bytes:
    """{"data": ...} exactly as the Python path encodes it (compact, same key order)."""
    return orjson.dumps({"data": orjson.loads(data)})
