"""Errors about input values name the argument or variable, and the place inside it, that is wrong."""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLInputType,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValidationContext,
    ValueNode,
    VisitorAction,
)
from graphql.language import SKIP
from graphql.utilities.validate_input_value import validate_input_literal
from graphql.validation import ValuesOfCorrectTypeRule
from strawberry.extensions import SchemaExtension

from resolvers.errors import Code
from schema.scalars import InputValueError

NUL = "\x00"
NUL_PROBLEM = "contains a NUL character (\\u0000), which text cannot hold"


def at(path: list[str | int]) -> str:
    """A place inside a value, written as graphql-core writes it in variable errors: .input[0].name."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def literal_nul_paths(node: ValueNode, path: list[str | int]) -> Iterator[list[str | int]]:
    if isinstance(node, StringValueNode) and NUL in node.value:
        yield path
    elif isinstance(node, ObjectValueNode):
        for field in node.fields:
            yield from literal_nul_paths(field.value, [*path, field.name.value])
    elif isinstance(node, ListValueNode):
        for index, item in enumerate(node.values):
            yield from literal_nul_paths(item, [*path, index])


def value_nul_paths(value: object, path: list[str | int]) -> Iterator[list[str | int]]:
    if isinstance(value, str) and NUL in value:
        yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if NUL in str(key):
                yield [*path, str(key)]
            yield from value_nul_paths(item, [*path, str(key)])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from value_nul_paths(item, [*path, index])


def nul_in_variables(variables: Mapping[str, Any] | None) -> GraphQLError | None:
    """The first variable holding a NUL character, as the error that names it; None when there is none."""
    for name, value in (variables or {}).items():
        for path in value_nul_paths(value, []):
            message = f"Variable '${name}' has invalid value at {at(path) or '.'}: {NUL_PROBLEM}."
            return GraphQLError(message, extensions={"code": Code.BAD_USER_INPUT.value})
    return None


class ArgumentValuesRule(ValuesOfCorrectTypeRule):
    """ValuesOfCorrectTypeRule naming the argument and the place inside it; wrong content (a DateTime
    without offset, a NUL character) is BAD_USER_INPUT, a wrong type stays a validation error."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.arguments: list[str] = []

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.arguments.append(node.name.value)

    def leave_argument(self, _node: ArgumentNode, *_args: Any) -> None:
        self.arguments.pop()

    def is_valid_value_node(self, node: ValueNode, input_type: GraphQLInputType | None) -> VisitorAction:
        if input_type:
            for path in literal_nul_paths(node, []):
                self.report(InputValueError(NUL_PROBLEM, node), path)
            validate_input_literal(node, input_type, self.report, None, None, self.context.hide_suggestions)
        return SKIP

    def report(self, error: GraphQLError, path: list[str | int]) -> None:
        if self.arguments:
            place = f" at {at(path)}" if path else ""
            error.message = f"Argument '{self.arguments[-1]}' has an invalid value{place}: {error.message}"
        if isinstance(error, InputValueError):
            argument = ".".join(str(part) for part in (self.arguments[-1:] + path))
            error.extensions = {
                "code": Code.BAD_USER_INPUT.value,
                **({"argument": argument} if argument else {}),
            }
        self.report_error(error)


class NameArgumentsInValueErrors(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = tuple(
            ArgumentValuesRule if rule is ValuesOfCorrectTypeRule else rule
            for rule in context.validation_rules
        )
        yield

    def on_execute(self) -> Iterator[None]:
        # graphql-core lets a NUL through String; PostgreSQL would refuse it with an internal error.
        run = self.execution_context
        error = None if run.result is not None else nul_in_variables(run.variables)
        if error is not None:
            run.result = ExecutionResult(data=None, errors=[error])
        yield
