"""Input values PostgreSQL cannot take (NUL characters, times without offset or beyond UTC's range) are
BAD_USER_INPUT naming the argument or variable and the place inside it, on every path and every input."""

from typing import Any

import pytest

from tests.conftest import KeyMaker
from tests.live import LiveServer
from tests.mutations.db import count
from tests.server.test_errors import error_of

LEAD_BY_EXTERNAL_ID = "query Lead($externalId: String) { lead(externalId: $externalId) { leadId } }"
LEADS_CREATED = """query Leads($created: DateTimeFilter) {
  leads(filter: {created: $created}) { totalCount } }"""
CHANGE_STAGE = """mutation Change($input: ChangeLeadStageInput!) {
  changeLeadStage(input: $input) { changed errors { code field message } } }"""


def post(server: LiveServer, key: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    with server.client(key) as client:
        response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    return error_of(response)


def assert_bad_input(error: dict[str, Any], *words: str) -> None:
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    for word in words:
        assert word in error["message"], (word, error["message"])


def test_a_nul_in_a_variable_is_bad_user_input_naming_it_on_the_compiled_path_too(
    server: LiveServer, make_key: KeyMaker
) -> None:
    key = make_key("viewer")
    with server.client(key) as client:
        # The first answer teaches the compiled path this document; the second is answered there.
        for external_id in ("crm-1", "crm-2"):
            answer = client.post(
                "/graphql", json={"query": LEAD_BY_EXTERNAL_ID, "variables": {"externalId": external_id}}
            )
            assert answer.json() == {"data": {"lead": None}}
    error = post(server, key, LEAD_BY_EXTERNAL_ID, {"externalId": "crm\x00-1"})
    assert_bad_input(error, "$externalId", "NUL")


def test_a_nul_deep_in_a_mutation_input_is_refused_before_anything_is_written(
    server: LiveServer, db_url: str, make_key: KeyMaker
) -> None:
    lead = "00000000-0000-0000-0000-000000000001"
    change = {"leadId": lead, "stage": "won", "reason": "assinado\x00", "occurredAt": "2025-03-01T10:00:00Z"}
    error = post(server, make_key("connector"), CHANGE_STAGE, {"input": change})
    assert_bad_input(error, "$input", ".reason", "NUL")
    assert count(db_url, "lead_stages", lead) == 0


def test_a_nul_in_a_literal_names_the_argument_and_the_place_in_it(
    server: LiveServer, make_key: KeyMaker
) -> None:
    query = '{ leads(filter: {externalId: {eq: "crm\\u0000-1"}}) { totalCount } }'
    error = post(server, make_key("viewer"), query)
    assert_bad_input(error, "Argument 'filter'", ".externalId.eq", "NUL")
    assert error["extensions"]["argument"] == "filter.externalId.eq"


OFFSETLESS = "2025-03-01T10:00:00"
BEYOND_UTC = ["9999-12-31T23:00:00-03:00", "0001-01-01T00:30:00+01:00"]


@pytest.mark.parametrize("moment", [OFFSETLESS, *BEYOND_UTC])
def test_filter_times_follow_the_mutations_offset_rule_and_must_fit_in_utc(
    server: LiveServer, make_key: KeyMaker, moment: str
) -> None:
    key = make_key("viewer")
    problem = "UTC offset" if moment == OFFSETLESS else "out of range"
    by_variable = post(server, key, LEADS_CREATED, {"created": {"gte": "2025-01-01T00:00:00Z", "lt": moment}})
    assert_bad_input(by_variable, "$created", ".lt", problem)
    by_literal = post(server, key, f'{{ leads(filter: {{created: {{gte: "{moment}"}}}}) {{ totalCount }} }}')
    assert_bad_input(by_literal, "Argument 'filter'", ".created.gte", problem)
    assert by_literal["extensions"]["argument"] == "filter.created.gte"


@pytest.mark.parametrize("moment", [OFFSETLESS, *BEYOND_UTC])
def test_mutation_times_get_the_same_errors(server: LiveServer, make_key: KeyMaker, moment: str) -> None:
    change = {"leadId": "00000000-0000-0000-0000-000000000001", "stage": "won", "occurredAt": moment}
    error = post(server, make_key("connector"), CHANGE_STAGE, {"input": change})
    assert_bad_input(error, "$input", ".occurredAt", "UTC offset" if moment == OFFSETLESS else "out of range")


def test_times_with_an_offset_or_z_are_taken(server: LiveServer, make_key: KeyMaker) -> None:
    created = {"gte": "2025-01-01T00:00:00Z", "lt": "2025-01-01T00:00:00.5-03:00"}
    with server.client(make_key("viewer")) as client:
        answer = client.post("/graphql", json={"query": LEADS_CREATED, "variables": {"created": created}})
    assert answer.json() == {"data": {"leads": {"totalCount": 0}}}


def test_date_time_is_one_scalar_with_its_specification(server: LiveServer) -> None:
    query = '{ __type(name: "DateTime") { kind specifiedByURL description } }'
    with server.client() as client:
        scalar = client.post("/graphql", json={"query": query}).json()["data"]["__type"]
    assert scalar["specifiedByURL"] == "https://scalars.graphql.org/andimarek/date-time"
    assert "offset" in scalar["description"]


SPECIFIED = """{ __schema { types { name kind description specifiedByURL } } }"""


def test_every_custom_scalar_is_described_and_points_at_its_specification(server: LiveServer) -> None:
    with server.client() as client:
        types = client.post("/graphql", json={"query": SPECIFIED}).json()["data"]["__schema"]["types"]
    built_in = {"String", "Int", "Float", "Boolean", "ID"}
    custom = {t["name"]: t for t in types if t["kind"] == "SCALAR" and t["name"] not in built_in}
    assert {"DateTime", "Date", "Decimal", "UUID", "JSON"} <= set(custom)
    for name, scalar in custom.items():
        assert scalar["specifiedByURL"], name
        assert scalar["description"] and len(scalar["description"]) > len(name) + 20, name


PAGING = """{ __schema { types { name fields { name args { name description } } } } }"""


def test_every_paging_argument_says_what_it_does(server: LiveServer) -> None:
    with server.client() as client:
        types = client.post("/graphql", json={"query": PAGING}).json()["data"]["__schema"]["types"]
    paging = [
        (t["name"], f["name"], a)
        for t in types
        if not t["name"].startswith("__")
        for f in t["fields"] or []
        for a in f["args"]
        if a["name"] in ("first", "after", "last", "before")
    ]
    assert len(paging) >= 40
    assert [where for *where, a in paging if not a["description"]] == []
