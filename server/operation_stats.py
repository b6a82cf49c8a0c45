"""A schema extension that tells the request's stats which operation ran and how many errors it had."""

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from telemetry.request import note_operation


def operation_type_of(context: Any) -> str | None:
    """`query`, `mutation`... once the document is parsed; None before, or if no operation is named."""
    if context.graphql_document is None:
        return None
    try:
        return str(context.operation_type.value)
    except RuntimeError:  # operationName names no operation of the document
        return None


class OperationStats(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        operation_type = operation_type_of(context)
        errors = (context.result.errors if context.result else None) or context.pre_execution_errors or []
        note_operation(context.operation_name, operation_type, len(errors))
