"""Every String and ID argument and input field has a maximum length, said in its description: a value one
character longer is BAD_USER_INPUT naming the argument, the place in it and the limit, and nothing runs."""

import re
from collections.abc import Iterator

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_composite_type,
)

from schema.schema import schema
from schema.text_limits import text_members
from tests.conftest import KeyMaker
from tests.live import LiveServer
from tests.mutations.db import count
from tests.server.test_input_values import assert_bad_input, post

DOCUMENTED = re.compile(r"At most ([\d,]+) characters\.$")
SCHEMA: GraphQLSchema = schema._schema
Path = list[str | int]


def documented_limit(description: str | None) -> int:
    found = DOCUMENTED.search(description or "")
    assert found, f"no limit in the description: {description!r}"
    return int(found.group(1).replace(",", ""))


def unwrap(input_type: GraphQLInputType) -> tuple[GraphQLInputType, bool]:
    """The type inside NonNull and List wrappers, and whether a list is among them."""
    listed = False
    while isinstance(input_type, GraphQLNonNull | GraphQLList):
        listed = listed or isinstance(input_type, GraphQLList)
        input_type = input_type.of_type
    return input_type, listed


def operation(parent: GraphQLObjectType, field: str) -> str:
    """A document calling parent.field with each argument as the variable of its name."""
    definition = parent.fields[field]
    selection = " { __typename }" if is_composite_type(get_named_type(definition.type)) else ""
    call = f"{field}({', '.join(f'{a}: ${a}' for a in definition.args)}){selection}"
    declared = ", ".join(f"${a}: {given.type}" for a, given in definition.args.items())
    if parent is SCHEMA.mutation_type:
        return f"mutation Limit({declared}) {{ {call} }}"
    if parent is SCHEMA.query_type:
        return f"query Limit({declared}) {{ {call} }}"
    if parent.name == "Analytics":
        return f"query Limit({declared}) {{ analytics {{ {call} }} }}"
    return f'query Limit({declared}) {{ node(id: "TGVhZDox") {{ ... on {parent.name} {{ {call} }} }} }}'


def entries() -> Iterator[tuple[GraphQLObjectType, str, str, GraphQLInputType]]:
    """(parent, field, argument, type) of every argument of every field that a document can reach."""
    for named in SCHEMA.type_map.values():
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            for field, definition in named.fields.items():
                for argument, given in definition.args.items():
                    yield named, field, argument, given.type


def place_of(target: GraphQLInputObjectType) -> tuple[str, Path]:
    """A document and the path from one of its variables to an object of the input type (breadth first)."""
    queue = [(operation(parent, field), [argument], t) for parent, field, argument, t in entries()]
    while queue:
        document, path, input_type = queue.pop(0)
        inner, listed = unwrap(input_type)
        path = [*path, 0] if listed else path
        if inner is target:
            return document, path
        if isinstance(inner, GraphQLInputObjectType):
            queue += [(document, [*path, name], f.type) for name, f in inner.fields.items()]
    raise AssertionError(f"{target.name} is reachable from no argument")


def nested(path: Path, value: object) -> object:
    for part in reversed(path):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def cases() -> Iterator[tuple[str, str, Path, int]]:
    """(coordinate, document, path from a variable to the member, limit) for every text member."""
    for coordinate, name, member in text_members(SCHEMA):
        limit = documented_limit(member.description)
        _, listed = unwrap(member.type)
        if "(" in coordinate:
            parent, field = coordinate.split("(")[0].split(".")
            document, path = operation(SCHEMA.type_map[parent], field), [name]  # type: ignore[arg-type]
        else:
            owner = SCHEMA.type_map[coordinate.split(".")[0]]
            assert isinstance(owner, GraphQLInputObjectType)
            document, path = place_of(owner)
            path = [*path, name]
        yield coordinate, document, [*path, 0] if listed else path, limit


CASES = list(cases())


def test_every_text_argument_and_input_field_is_covered() -> None:
    assert len(CASES) > 150
    assert {coordinate for coordinate, *_ in CASES} >= {"ChangeLeadStageInput.reason", "Query.lead(email:)"}


def test_one_character_over_any_limit_is_bad_user_input_naming_the_place_and_the_limit(
    server: LiveServer, make_key: KeyMaker
) -> None:
    key = make_key("admin")
    wrong = []
    for coordinate, document, path, limit in CASES:
        variables = {path[0]: nested(path[1:], "x" * (limit + 1))}
        with server.client(key) as client:
            answer = client.post("/graphql", json={"query": document, "variables": variables}).json()
        place = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[1:])
        expected = (
            f"Argument '{path[0]}' has an invalid value{' at ' + place if place else ''}: may have at most"
        )
        errors = answer.get("errors") or [{}]
        message, code = errors[0].get("message", ""), errors[0].get("extensions", {}).get("code")
        if not (
            code == "BAD_USER_INPUT" and message.startswith(expected) and f"{limit:,} characters" in message
        ):
            wrong.append(f"{coordinate}: {answer}")
    assert not wrong, "\n".join(wrong)


CHANGE_STAGE = """mutation Change($input: ChangeLeadStageInput!) {
  changeLeadStage(input: $input) { changed errors { code field message } } }"""
LEAD = "00000000-0000-0000-0000-000000000001"


@pytest.mark.parametrize("length", [2001, 900_000])
def test_an_overlong_reason_is_refused_and_nothing_is_stored(
    server: LiveServer, db_url: str, make_key: KeyMaker, length: int
) -> None:
    change = {"leadId": LEAD, "stage": "won", "reason": "r" * length, "occurredAt": "2025-03-01T10:00:00Z"}
    error = post(server, make_key("connector"), CHANGE_STAGE, {"input": change})
    assert_bad_input(error, "'input'", ".reason", "at most 2,000 characters", f"got {length:,}")
    assert error["extensions"]["argument"] == "input.reason"
    assert count(db_url, "lead_stages", LEAD) == 0


def test_a_literal_over_its_limit_is_refused_like_a_variable(server: LiveServer, make_key: KeyMaker) -> None:
    query = '{ leads(filter: {utmSource: {eq: "%s"}}) { totalCount } }' % ("s" * 256)
    error = post(server, make_key("admin"), query)
    assert_bad_input(
        error, "Argument 'filter' has an invalid value at .utmSource.eq", "at most 255 characters"
    )


def test_the_compiled_path_refuses_too(server: LiveServer, make_key: KeyMaker) -> None:
    key = make_key("viewer")
    query = "query Lead($externalId: String) { lead(externalId: $externalId) { leadId } }"
    with server.client(key) as client:
        # The first answer teaches the compiled path this document; the second would be answered there.
        for external_id in ("crm-1", "crm-2"):
            answer = client.post("/graphql", json={"query": query, "variables": {"externalId": external_id}})
            assert answer.json() == {"data": {"lead": None}}
    error = post(server, key, query, {"externalId": "c" * 256})
    assert_bad_input(error, "Argument 'externalId' has an invalid value", "at most 255 characters")


def test_the_compiled_path_checks_variables_inside_fragments_and_inputs(
    server: LiveServer, make_key: KeyMaker
) -> None:
    # The compiled plan walks its document once: what it found must still be checked on each request.
    key = make_key("admin")
    query = (
        "query Q($source: String) { ...Counted } "
        "fragment Counted on Query { leads(filter: {utmSource: {eq: $source}}) { totalCount } }"
    )
    with server.client(key) as client:
        for source in ("no-such-source-1", "no-such-source-2"):
            answer = client.post("/graphql", json={"query": query, "variables": {"source": source}})
            assert answer.json() == {"data": {"leads": {"totalCount": 0}}}
    error = post(server, key, query, {"source": "s" * 256})
    assert_bad_input(
        error, "Argument 'filter' has an invalid value at .utmSource.eq", "at most 255 characters"
    )


def test_a_value_at_its_limit_is_taken(server: LiveServer, make_key: KeyMaker) -> None:
    query = "query Q($f: LeadFilter) { leads(filter: $f) { totalCount } }"
    with server.client(make_key("admin")) as client:
        answer = client.post(
            "/graphql", json={"query": query, "variables": {"f": {"utmSource": {"eq": "s" * 255}}}}
        )
    assert answer.json() == {"data": {"leads": {"totalCount": 0}}}
