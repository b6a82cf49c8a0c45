"""Maximum lengths of every String and ID argument and input field, documented in the schema, and the
e-mail rule of every e-mail argument and input field, checked once for the whole document (literals and
variables) before anything runs.

A limit is the reference schema's column width where the value lands in a column (varchar(n)), else a
bound for its kind (e-mails 254 as RFC 5321 allows, URLs 2,048, free text 2,000); 255 otherwise.
"""

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    ListValueNode,
    Node,
    ObjectValueNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableNode,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension

from resolvers.errors import Code
from resolvers.ingest.checks import EVENT_TEXT, MAX_CLICK_ID_LENGTH, MAX_USER_AGENT_LENGTH
from resolvers.ingest.places import MAX_URL_LENGTH
from resolvers.personal_data import MAX_EMAIL_LENGTH, InvalidPersonalData, normalize_email
from schema.validation import at

DEFAULT_LIMIT = 255
TEXT_SCALARS = ("String", "ID")
CLICK_IDS = ("gclid", "gbraid", "wbraid", "fbclid", "ttclid", "liFatId", "msclkid")
# By argument or input field name, wherever it appears.
LIMITS_BY_NAME = {
    "email": MAX_EMAIL_LENGTH,
    "customerEmail": MAX_EMAIL_LENGTH,
    "url": MAX_URL_LENGTH,
    "pageUrl": MAX_URL_LENGTH,
    "domainUrl": MAX_URL_LENGTH,
    "boletoUrl": MAX_URL_LENGTH,
    "allowedOrigins": MAX_URL_LENGTH,
    "reason": 2000,
    "userAgent": MAX_USER_AGENT_LENGTH,
    "token": 500,
    "pixCode": 512,
    **dict.fromkeys(CLICK_IDS, MAX_CLICK_ID_LENGTH),
    **{field: limit for _, field, limit in EVENT_TEXT},  # as /collect checks them
    "conversionName": 100,
    "transactionId": 100,
    "parentTransactionId": 100,
    "offerId": 100,
    "pageVariant": 50,
    "platform": 50,
    "cardBrand": 50,
    "phone": 50,
    "timezone": 64,
    "timeZone": 64,
    "language": 35,
    "clientIp": 45,
    "document": 20,
    "integrationType": 20,
    "leadScore": 10,
    "score": 10,
    "currency": 3,
    "cardLast4": 4,
}
# E-mail addresses, given or looked up: checked by the rule every entry point uses (resolvers.personal_data).
EMAIL_NAMES = frozenset({"email", "customerEmail"})
# By schema coordinate, where a name means something narrower there.
LIMITS_BY_COORDINATE = {
    "EventInput.type": 50,
    "Session.events(eventType:)": 50,
}


def limit_of(coordinate: str, name: str) -> int:
    return LIMITS_BY_COORDINATE.get(coordinate, LIMITS_BY_NAME.get(name, DEFAULT_LIMIT))


def is_text(input_type: GraphQLInputType) -> bool:
    named = input_type
    while isinstance(named, GraphQLNonNull | GraphQLList):
        named = named.of_type
    return isinstance(named, GraphQLScalarType) and named.name in TEXT_SCALARS


def text_members(schema: GraphQLSchema) -> Iterator[tuple[str, str, GraphQLArgument | GraphQLInputField]]:
    """(schema coordinate, name, member) of every String or ID argument and input field."""
    for named in schema.type_map.values():
        if named.name.startswith("__"):
            continue
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                for name, argument in field.args.items():
                    if is_text(argument.type):
                        yield f"{named.name}.{field_name}({name}:)", name, argument
        elif isinstance(named, GraphQLInputObjectType):
            for name, input_field in named.fields.items():
                if is_text(input_field.type):
                    yield f"{named.name}.{name}", name, input_field


def describe_text_limits(schema: GraphQLSchema) -> None:
    """Each limit said in its member's description, where clients and GraphiQL read it."""
    for coordinate, name, member in text_members(schema):
        said = f"At most {limit_of(coordinate, name):,} characters."
        member.description = f"{member.description} {said}" if member.description else said


def too_long(limit: int, length: int) -> str:
    return f"may have at most {limit:,} characters, got {length:,}"


class TextLimits:
    """Walks one document's arguments, literal and variable, against the limits."""

    def __init__(self, variables: Mapping[str, Any] | None) -> None:
        self.variables = variables or {}
        self.errors: list[GraphQLError] = []

    def argument(self, coordinate: str, argument: ArgumentNode, definition: GraphQLArgument) -> None:
        self.value(definition.type, argument.value, coordinate, argument.name.value, [argument.name.value])

    def value(
        self, input_type: GraphQLInputType, value: object, coordinate: str, name: str, path: list[str | int]
    ) -> None:
        if isinstance(value, VariableNode):
            value = self.variables.get(value.name.value)
        if isinstance(input_type, GraphQLNonNull):
            self.value(input_type.of_type, value, coordinate, name, path)
        elif isinstance(input_type, GraphQLList):
            items = value.values if isinstance(value, ListValueNode) else value
            if isinstance(items, list | tuple):
                for index, item in enumerate(items):
                    self.value(input_type.of_type, item, coordinate, name, [*path, index])
            else:
                self.value(input_type.of_type, value, coordinate, name, path)
        elif isinstance(input_type, GraphQLInputObjectType):
            self.fields(input_type, value, path)
        elif isinstance(input_type, GraphQLScalarType) and input_type.name in TEXT_SCALARS:
            text = value.value if isinstance(value, StringValueNode) else value
            limit = limit_of(coordinate, name)
            if isinstance(text, str) and len(text) > limit:
                self.refuse(path, too_long(limit, len(text)))
            elif isinstance(text, str) and name in EMAIL_NAMES:
                self.email(text, path)

    def email(self, text: str, path: list[str | int]) -> None:
        try:
            normalize_email(text)
        except InvalidPersonalData as error:
            self.refuse(path, str(error))

    def fields(self, input_type: GraphQLInputObjectType, value: object, path: list[str | int]) -> None:
        given: Mapping[str, object] = (
            {field.name.value: field.value for field in value.fields}
            if isinstance(value, ObjectValueNode)
            else value
            if isinstance(value, Mapping)
            else {}
        )
        for name, field_value in given.items():
            field = input_type.fields.get(name)
            if field is not None:
                self.value(field.type, field_value, f"{input_type.name}.{name}", name, [*path, name])

    def refuse(self, path: list[str | int], problem: str) -> None:
        argument, place = str(path[0]), at(path[1:])
        message = f"Argument '{argument}' has an invalid value{' at ' + place if place else ''}: {problem}"
        dotted = ".".join(str(part) for part in path)
        extensions = {"code": Code.BAD_USER_INPUT.value, "argument": dotted}
        self.errors.append(GraphQLError(message, extensions=extensions))


# An argument of a document with its schema coordinate and definition: where its text limits apply.
TextArgument = tuple[str, ArgumentNode, GraphQLArgument]


class ArgumentVisitor(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.arguments: list[TextArgument] = []

    def enter_argument(
        self, node: ArgumentNode, _key: object, _parent: object, _path: object, ancestors: list[Any]
    ) -> None:
        definition = self.type_info.get_argument()
        parent: GraphQLNamedType | None = self.type_info.get_parent_type()
        field = next((n for n in reversed(ancestors) if isinstance(n, Node)), None)
        if definition is not None and parent is not None and isinstance(field, FieldNode):
            coordinate = f"{parent.name}.{field.name.value}({node.name.value}:)"
            self.arguments.append((coordinate, node, definition))


def text_arguments(schema: GraphQLSchema, nodes: Iterable[DocumentNode | Node]) -> tuple[TextArgument, ...]:
    """Every argument of these nodes (a document, or an operation and its fragments): the walk of the
    whole document, which a compiled plan does once rather than on each request."""
    found: list[TextArgument] = []
    for node in nodes:
        type_info = TypeInfo(schema)
        visitor = ArgumentVisitor(type_info)
        visit(node, TypeInfoVisitor(type_info, visitor))
        found.extend(visitor.arguments)
    return tuple(found)


def argument_errors(
    arguments: Iterable[TextArgument], variables: Mapping[str, Any] | None
) -> list[GraphQLError]:
    """An error for each text value over its limit or not an e-mail where one is due, naming the argument
    and the place in it."""
    limits = TextLimits(variables)
    for coordinate, node, definition in arguments:
        limits.argument(coordinate, node, definition)
    return limits.errors


def text_input_errors(
    schema: GraphQLSchema, document: DocumentNode | Node, variables: Mapping[str, Any] | None
) -> list[GraphQLError]:
    """argument_errors of the whole document."""
    return argument_errors(text_arguments(schema, [document]), variables)


class TextLimitsCheck(SchemaExtension):
    """Refuses a validated document holding text over its limit or a wrong e-mail, before it runs: nothing
    is stored."""

    def on_execute(self) -> Iterator[None]:
        run = self.execution_context
        if run.result is None and run.graphql_document is not None:
            errors = text_input_errors(run.schema._schema, run.graphql_document, run.variables)
            if errors:
                run.result = ExecutionResult(data=None, errors=errors)
        yield
