"""The Strawberry side of the compiled path: a validated query it covers is answered by its one statement."""

from collections.abc import AsyncIterator

import orjson
from graphql import ExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.compiled.reads import CompiledReads
from resolvers.context import Context


class CompiledExecution(SchemaExtension):
    """Runs after parsing and validation: learns the document's plan, and answers with it when it can."""

    def __init__(self, compiled: CompiledReads) -> None:
        self.compiled = compiled

    async def on_execute(self) -> AsyncIterator[None]:
        run = self.execution_context
        context = run.context
        if (
            run.result is None
            and run.operation_type is OperationType.QUERY
            and run.query
            and isinstance(context, Context)
        ):
            plan = self.compiled.known(run.query, run.operation_name)
            if plan is None and not self.compiled.seen(run.query, run.operation_name):
                assert run.graphql_document is not None
                plan = self.compiled.learn(run.query, run.operation_name, run.graphql_document)
            if plan is not None:
                role = None if context.principal is None else context.principal.role
                data = await self.compiled.data(
                    plan, run.variables, context.limits, context.sees_personal_data, role
                )
                if data is not None:
                    run.result = ExecutionResult(data=orjson.loads(data), errors=None)
        yield
