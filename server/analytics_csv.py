"""GET /analytics/REPORT.csv: a report of `analytics` as CSV, with the GraphQL field's arguments and key."""

import csv
import io
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from strawberry import Schema

from resolvers.context import Context, Principal, Role
from resolvers.errors import Code
from server.auth import AuthError, authenticate, parse_authorization
from server.graphql_http import JSON, STATUS_BY_CODE, encode_json, graphql_error_response
from server.graphql_view import coded, limits
from server.trusted_documents import TrustedDocuments

# Rows written per chunk of the response body.
CHUNK_ROWS = 500


class CsvRequestError(Exception):
    def __init__(self, status: int, message: str, code: Code) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def bad_input(message: str) -> CsvRequestError:
    return CsvRequestError(400, message, Code.BAD_USER_INPUT)


def unwrap(kind: Any) -> tuple[Any, bool]:
    """The type inside NonNull, and whether it is a list (of what)."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        inner = kind.of_type
        return (inner.of_type if isinstance(inner, GraphQLNonNull) else inner), True
    return kind, False


def leaf_value(kind: GraphQLInputType, text: str, parameter: str) -> Any:
    """A query-string value as the JSON value the variable's type takes (custom scalars parse text)."""
    name = kind.name if isinstance(kind, GraphQLScalarType | GraphQLEnumType) else ""
    try:
        if name == "Int":
            return int(text)
        if name == "Float":
            return float(text)
    except ValueError:
        raise bad_input(f"Query parameter '{parameter}' must be a number, not {text!r}") from None
    if name == "Boolean":
        if text not in ("true", "false"):
            raise bad_input(f"Query parameter '{parameter}' must be true or false, not {text!r}")
        return text == "true"
    return text


def input_value(kind: Any, values: list[str], path: list[str], parameter: str) -> Any:
    """The value of `parameter` (dotted below an input object) for an argument of type `kind`."""
    inner, is_list = unwrap(kind)
    if path:
        if not isinstance(inner, GraphQLInputObjectType) or is_list:
            dotted = ".".join(path)
            raise bad_input(f"Query parameter '{parameter}': '{dotted}' is not a field of its argument")
        field = inner.fields.get(path[0])
        if field is None:
            known = ", ".join(inner.fields)
            raise bad_input(f"Query parameter '{parameter}': {inner.name} has no field '{path[0]}' ({known})")
        return {path[0]: input_value(field.type, values, path[1:], parameter)}
    if isinstance(inner, GraphQLInputObjectType):
        fields = ", ".join(f"{parameter}.{name}" for name in inner.fields)
        raise bad_input(f"Query parameter '{parameter}' is an object: give its fields ({fields})")
    if is_list:
        return [leaf_value(inner, value, parameter) for value in values]
    if len(values) > 1:
        raise bad_input(f"Query parameter '{parameter}' is given {len(values)} times; it takes one value")
    return leaf_value(inner, values[0], parameter)


def merge(into: dict[str, Any], value: dict[str, Any]) -> None:
    for key, item in value.items():
        if isinstance(item, dict) and isinstance(into.get(key), dict):
            merge(into[key], item)
        else:
            into[key] = item


def variables_of(field: GraphQLField, params: QueryParams) -> dict[str, Any]:
    """The field's arguments from the query string: `name=value`, `input.field=value`, lists repeated."""
    variables: dict[str, Any] = {}
    for parameter in dict.fromkeys(params.keys()):
        name, *path = parameter.split(".")
        argument = field.args.get(name)
        if argument is None:
            known = ", ".join(field.args) or "none"
            raise bad_input(f"Unknown query parameter '{parameter}' (this report takes: {known})")
        value = input_value(argument.type, params.getlist(parameter), path, parameter)
        if path:
            merge(variables.setdefault(name, {}), value)
        else:
            variables[name] = value
    for name, argument in field.args.items():
        required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
        if required and name not in variables:
            raise bad_input(f"Query parameter '{name}' is required ({argument.type})")
    return variables


def columns(kind: GraphQLObjectType, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(header, selection) of every leaf of a row; nested objects flattened as `outer.inner`."""
    for name, field in kind.fields.items():
        inner = get_named_type(field.type)
        if is_leaf_type(inner):
            yield f"{prefix}{name}", name
        elif isinstance(inner, GraphQLObjectType) and not isinstance(unwrap(field.type)[0], GraphQLList):
            nested = list(columns(inner, f"{prefix}{name}."))
            inner_selection = " ".join(selection for _header, selection in nested)
            yield from ((header, "") for header, _selection in nested[:-1])
            yield nested[-1][0], f"{name} {{ {inner_selection} }}"


def row_type(field: GraphQLField) -> GraphQLObjectType:
    report = get_named_type(field.type)
    assert isinstance(report, GraphQLObjectType)
    rows = get_named_type(report.fields["rows"].type)
    assert isinstance(rows, GraphQLObjectType)
    return rows


def document(report: str, field: GraphQLField, variables: Mapping[str, Any]) -> str:
    declared = ", ".join(f"${name}: {field.args[name].type}" for name in variables)
    passed = ", ".join(f"{name}: ${name}" for name in variables)
    selection = " ".join(s for _header, s in columns(row_type(field)) if s)
    head = f"query AnalyticsCsv({declared})" if declared else "query AnalyticsCsv"
    call = f"{report}({passed})" if passed else report
    return f"{head} {{ analytics {{ {call} {{ dataAsOf materialized timeZone rows {{ {selection} }} }} }} }}"


def cell(value: Any) -> Any:
    """Booleans as GraphQL writes them; null as an empty cell; Decimals already arrive as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def flat(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = value
    return out


async def csv_chunks(headers: list[str], rows: list[Mapping[str, Any]]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, quotes doubled
    writer.writerow(headers)
    for start in range(0, len(rows), CHUNK_ROWS):
        for row in rows[start : start + CHUNK_ROWS]:
            values = flat(row)
            writer.writerow([cell(values.get(header)) for header in headers])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


class AnalyticsCsv:
    """The endpoint: the key as for POST /graphql, the report run through the schema (same access checks,
    argument errors and limits), its rows written as CSV."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def report_field(self, report: str) -> GraphQLField:
        graphql_schema: GraphQLSchema = self.schema._schema
        analytics = graphql_schema.get_type("Analytics")
        assert isinstance(analytics, GraphQLObjectType)
        field: GraphQLField | None = analytics.fields.get(report)
        if field is None:
            known = ", ".join(sorted(analytics.fields))
            raise CsvRequestError(404, f"No report named '{report}' (reports: {known})", Code.BAD_REQUEST)
        return field

    async def principal(self, request: Request) -> Principal:
        state = request.app.state
        try:
            key = parse_authorization(request.headers.get("authorization"))
            if key is None:
                raise AuthError("Missing API key: send 'Authorization: Bearer <api key>'")
            principal = await authenticate(state.primary_reads, key, state.principal_cache)
        except AuthError as error:
            raise CsvRequestError(401, error.message, Code.UNAUTHENTICATED) from None
        if principal.role is Role.INGEST:
            raise CsvRequestError(403, "Ingest keys may not read reports", Code.FORBIDDEN)
        documents: TrustedDocuments = state.trusted_documents
        if await documents.hashes(principal.key_id) is not None:
            message = "This API key runs only its trusted documents; CSV reports are not among them"
            raise CsvRequestError(403, message, Code.PERSISTED_QUERY_NOT_IN_LIST)
        return principal

    async def endpoint(self, request: Request) -> Response:
        try:
            return await self.answer(request)
        except CsvRequestError as error:
            response = graphql_error_response(error.message, error.code, JSON)
            response.status_code = error.status
            if error.status == 401:
                response.headers["WWW-Authenticate"] = 'Bearer realm="rastro"'
            return response

    async def answer(self, request: Request) -> Response:
        report = request.path_params["report"]
        principal = await self.principal(request)
        field = self.report_field(report)
        variables = variables_of(field, request.query_params)
        state = request.app.state
        context = Context(
            sessions=state.sessions,
            reads=state.reads,
            principal=principal,
            limits=limits(state.settings),
            secret_box=state.secret_box,
            ingestion=state.ingestion,
        )
        result = await self.schema.execute(
            document(report, field, variables), variable_values=variables, context_value=context
        )
        if result.errors:
            return refusal([coded(error) for error in result.errors], state.settings.retry_after_seconds)
        assert result.data is not None
        answer = result.data["analytics"][report]
        headers = [header for header, _selection in columns(row_type(field))]
        return StreamingResponse(
            csv_chunks(headers, answer["rows"]),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{report}.csv"',
                "X-Data-As-Of": str(answer["dataAsOf"]),
                "X-Materialized": "true" if answer["materialized"] else "false",
                "X-Time-Zone": str(answer["timeZone"]),
            },
        )


def refusal(errors: list[GraphQLError], retry_after: int) -> Response:
    """The errors as /graphql words them, with the HTTP status of the first one's code."""
    code = (errors[0].extensions or {}).get("code")
    status = STATUS_BY_CODE.get(Code(code), 400) if code in set(Code) else 400
    headers = {"Retry-After": str(retry_after)} if code == Code.SERVICE_UNAVAILABLE.value else None
    body = encode_json({"errors": [error.formatted for error in errors]})
    return Response(body, status_code=status, media_type=JSON, headers=headers)
