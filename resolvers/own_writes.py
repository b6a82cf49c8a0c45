"""Mutations read what they wrote: their payloads resolve on the primary, never on a replica that lags."""

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.context import Context


class ReadOwnWrites(SchemaExtension):
    """Before a mutation executes, its context's reads and loaders move to the primary for the request."""

    def on_execute(self) -> Iterator[None]:
        run = self.execution_context
        if run.operation_type is OperationType.MUTATION and isinstance(run.context, Context):
            run.context.read_own_writes()
        yield
