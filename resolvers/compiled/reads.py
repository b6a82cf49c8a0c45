"""The compiled read path: plans by document, one statement per request, JSON from PostgreSQL."""

import logging
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any

import asyncpg
import orjson
from graphql import DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode

from resolvers.compiled.plan import Plan
from resolvers.compiled.sites import Unsupported
from resolvers.context import Limits, Role, cacheable
from schema.personal import personal_in_variables
from telemetry.metrics import COMPILED_FALLBACKS

PlanKey = tuple[str, str | None]
log = logging.getLogger("rastro.compiled")
# Set in the request's task when its statement failed: the extension, after the view, does not run it again.
failed = ContextVar("compiled_statement_failed", default=False)


class CompiledReads:
    """Plans of the documents seen, by (query text, operation name); None for those it does not cover."""

    def __init__(self, size: int = 256) -> None:
        self.schema: GraphQLSchema | None = None
        # An asyncpg pool (server.database.create_json_pool), set when the app starts.
        self.pool: Any = None
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
        operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
        if operation_name is None and operations > 1:
            return None  # which one to run is the caller's to say: graphql-core's error tells them
        try:
            plan = Plan.build(self.schema, document, operation_name)
        except Exception:
            # A compiler bug must not fail the request: the Python path answers it.
            log.exception("could not compile a query; it runs in Python")
            plan = None
        if not cacheable(query):
            return plan
        self._plans[(query, operation_name)] = plan
        if operations == 1:
            # A request may leave out the name of a document's only operation.
            self._plans[(query, None)] = plan
        while len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return plan

    async def data(
        self,
        plan: Plan,
        variables: Any,
        limits: Limits,
        sees_personal_data: bool,
        role: Role | None,
    ) -> str | None:
        """The `data` JSON text; None when these values need the Python path (it says what is wrong)."""
        if failed.get() or (plan.roles is not None and role not in plan.roles):
            return None
        # The Python resolvers refuse lookups by personal data for roles that may not read it.
        if not sees_personal_data and (plan.personal_lookup or personal_in_variables(variables)):
            return None
        try:
            sql, params = plan.bind(variables, limits, sees_personal_data)
        except (Unsupported, GraphQLError):
            return None
        try:
            async with self.pool.acquire() as connection:
                return str(await connection.fetchval(sql, *params))
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as error:
            # The Python path meets the same failure, and reports it the way every error is reported.
            log.warning("a compiled query failed (%s); it runs in Python", type(error).__name__)
            COMPILED_FALLBACKS.labels(type(error).__name__).inc()
            failed.set(True)
            return None


def response_body(data: str, compact: bool) -> bytes:
    """{"data": ...} exactly as the Python path encodes it (compact, same key order): as PostgreSQL wrote it
    when its plan says that is so, else parsed and written again."""
    if compact:
        return b'{"data":' + data.encode() + b"}"
    return orjson.dumps({"data": orjson.loads(data)})
