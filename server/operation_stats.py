"""A schema extension that tells the request's stats which operation ran and how many errors it had."""

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from telemetry.request import note_operation


class OperationStats(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        operation_type = None
        if context.graphql_document is not None:
            try:
                operation_type = context.operation_type.value
            except RuntimeError:  # operationName names no operation of the document
                operation_type = None
        errors = (context.result.errors if context.result else None) or context.pre_execution_errors or []
        note_operation(context.operation_name, operation_type, len(errors))
