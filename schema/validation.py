"""Validation errors about a literal value name the argument it was given to."""

from collections.abc import Iterator
from typing import Any

from graphql import ArgumentNode, GraphQLError, ValidationContext
from graphql.validation import ValuesOfCorrectTypeRule
from strawberry.extensions import SchemaExtension


class ArgumentValuesRule(ValuesOfCorrectTypeRule):
    """ValuesOfCorrectTypeRule, with "Argument 'x' has an invalid value:" before each message."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.arguments: list[str] = []

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.arguments.append(node.name.value)

    def leave_argument(self, _node: ArgumentNode, *_args: Any) -> None:
        self.arguments.pop()

    def report_error(self, error: GraphQLError) -> None:
        if self.arguments:
            error.message = f"Argument '{self.arguments[-1]}' has an invalid value: {error.message}"
        super().report_error(error)


class NameArgumentsInValueErrors(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = tuple(
            ArgumentValuesRule if rule is ValuesOfCorrectTypeRule else rule
            for rule in context.validation_rules
        )
        yield
