"""The access matrix (resolvers/access.py): its generated document is current, and every mutation and
root field answers every role as the matrix says, over HTTP."""

from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    ast_from_value,
    print_ast,
)

from resolvers.access import MUTATIONS, QUERY_ROOTS, READERS
from resolvers.context import Role
from schema.access import render
from schema.schema import schema
from tests.conftest import KeyMaker
from tests.live import LiveServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "decisions" / "access.md"
SCALARS = {
    "String": "x", "ID": "x", "Int": 1, "Float": 1.0, "Boolean": True, "Decimal": "1",
    "UUID": "00000000-0000-4000-8000-000000000000", "DateTime": "2026-01-01T00:00:00Z", "Date": "2026-01-01",
    "JSON": {},
}  # fmt: skip
EMAIL = "ana@exemplo.com.br"  # e-mails are checked before any mutation runs, whatever the role


def test_the_access_document_is_generated_from_the_matrix() -> None:
    assert DOC.read_text() == render(), "run: python -m schema.access > docs/decisions/access.md"


def test_every_mutation_has_its_roles_in_the_matrix() -> None:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    assert sorted(mutation.fields) == sorted(MUTATIONS)


def minimal(kind: GraphQLInputType) -> Any:
    """A value of the type holding its required fields only: enough to pass validation."""
    if isinstance(kind, GraphQLNonNull):
        return minimal(kind.of_type)
    if isinstance(kind, GraphQLList):
        return [minimal(kind.of_type)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLScalarType):
        return SCALARS[kind.name]
    assert isinstance(kind, GraphQLInputObjectType)
    return {
        name: EMAIL if name == "email" else minimal(field.type)
        for name, field in kind.fields.items()
        if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
    }


def forbidden(body: dict[str, Any]) -> bool:
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict):
            codes += [e["code"] for e in payload.get("errors") or []]
    return "FORBIDDEN" in codes


def test_every_mutation_answers_every_role_as_the_matrix_says(server: LiveServer, make_key: KeyMaker) -> None:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    for role in Role:
        with server.client(make_key(role.value)) as client:
            for name, field in mutation.fields.items():
                (argument,) = field.args.values()
                document = (
                    f"mutation($input: {argument.type}) {{ {name}(input: $input) {{ errors {{ code }} }} }}"
                )
                variables = {"input": minimal(argument.type)}
                response = client.post("/graphql", json={"query": document, "variables": variables})
                assert response.status_code < 500, (role, name, response.text)
                refused = response.status_code == 403 or forbidden(response.json())
                assert refused is (role not in MUTATIONS[name]), (role, name, response.text)


def test_every_root_field_answers_every_role_as_the_matrix_says(
    server: LiveServer, make_key: KeyMaker
) -> None:
    query = schema._schema.query_type
    assert query is not None
    for role in Role:
        with server.client(make_key(role.value)) as client:
            for name, field in query.fields.items():
                args = ", ".join(
                    f"{arg}: {print_ast(ast_from_value(minimal(spec.type), spec.type))}"  # type: ignore[arg-type]
                    for arg, spec in field.args.items()
                    if isinstance(spec.type, GraphQLNonNull)
                )
                call = f"{name}({args})" if args else name
                document = f"{{ {call} {{ __typename }} }}"
                response = client.post("/graphql", json={"query": document})
                assert response.status_code < 500, (role, name, response.text)
                refused = response.status_code == 403 or forbidden(response.json())
                allowed = QUERY_ROOTS.get(name, READERS)
                assert refused is (role not in allowed), (role, name, response.text)
