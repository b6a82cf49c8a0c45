"""Cursors are checked value by value against their columns: a tampered one is BAD_USER_INPUT naming
'after', on both read paths, never a masked internal error or a silently different page."""

import base64
import json
from typing import Any

import pytest

from tests.conftest import KeyMaker
from tests.live import LiveServer

BY_PRICE = "query P($after: String) { transactions(first: 2, after: $after, orderBy: {field: OFFER_PRICE}) { edges { cursor } } }"
BY_DATE = "query D($after: String) { transactions(first: 2, after: $after) { edges { cursor } } }"  # compiled
LEADS = "query L($after: String) { leads(first: 2, after: $after) { edges { cursor } } }"


def ask(client: Any, query: str, after: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = client.post(
        "/graphql", json={"query": query, "variables": {"after": after}}
    ).json()
    return body


def decoded(cursor: str) -> list[Any]:
    value: list[Any] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return value


def encoded(tag: str, values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps([tag, values]).encode()).decode().rstrip("=")


def tampered(cursor: str, index: int, value: Any) -> str:
    tag, values = decoded(cursor)
    values[index] = value
    return encoded(tag, values)


def first_cursor(client: Any, query: str) -> str:
    body = ask(client, query)
    assert "errors" not in body, body
    connection = next(iter(body["data"].values()))
    cursor: str = connection["edges"][0]["cursor"]
    return cursor


def assert_refused(body: dict[str, Any], problem: str) -> None:
    assert body.get("data") is None or next(iter(body["data"].values())) is None, body
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}, body
    assert error["message"] == f"Argument 'after' {problem}"


@pytest.fixture
def client(seeded_server: LiveServer, make_seeded_key: KeyMaker) -> Any:
    with seeded_server.client(make_seeded_key("analyst")) as client:
        yield client


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "sNaN", 12, "1e999999999", "doze"])
def test_a_decimal_sort_value_must_be_a_finite_number(client: Any, value: Any) -> None:
    cursor = tampered(first_cursor(client, BY_PRICE), 0, value)
    assert_refused(ask(client, BY_PRICE, cursor), "is not a valid cursor")


@pytest.mark.parametrize("query", [BY_DATE, BY_PRICE], ids=["compiled", "python"])
@pytest.mark.parametrize("value", [2**70, -(2**70), 2**31, "7", 7.5, True, [1]])
def test_an_integer_key_must_fit_its_column(client: Any, query: str, value: Any) -> None:
    cursor = first_cursor(client, query)
    assert isinstance(decoded(cursor)[1][-1], int)
    assert_refused(ask(client, query, tampered(cursor, -1, value)), "is not a valid cursor")


@pytest.mark.parametrize(
    "value",
    ["9999-12-31T23:59:59-14:00", "2025-01-01T00:00:00", "ontem", 1700000000, "2025-01-01T00:00:00\x00Z"],
)
def test_a_time_must_have_an_offset_and_fit_utc(client: Any, value: Any) -> None:
    cursor = tampered(first_cursor(client, LEADS), 0, value)
    assert_refused(ask(client, LEADS, cursor), "is not a valid cursor")


def test_a_uuid_key_must_be_a_uuid_string(client: Any) -> None:
    for value in (5, "not-a-uuid", {"a": 1}):
        assert_refused(
            ask(client, LEADS, tampered(first_cursor(client, LEADS), -1, value)), "is not a valid cursor"
        )


def test_a_cursor_of_another_connection_or_ordering_is_refused(client: Any) -> None:
    for query, other in ((LEADS, BY_DATE), (BY_DATE, BY_PRICE), (BY_PRICE, LEADS)):
        assert_refused(
            ask(client, query, first_cursor(client, other)), "is a cursor of another connection or ordering"
        )


def test_an_untouched_cursor_still_pages(client: Any) -> None:
    for query in (LEADS, BY_DATE, BY_PRICE):
        assert "errors" not in ask(client, query, first_cursor(client, query))
