"""Connections as a client pages through them: keyset cursors, bounds, filters, bad arguments."""

from typing import Any

import pytest

from tests.conftest import KeyMaker
from tests.graphql_http import gql
from tests.live import LiveServer
from tests.sql import rows as sql

SESSIONS_PAGE = """
query($first: Int, $after: String, $last: Int, $before: String, $filter: SessionFilter) {
  sessions(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { sessionId startedAt } }
  }
}
"""


def test_paging_forward_visits_every_session_once_in_order(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    key = make_seeded_key("analyst")
    expected = [
        r["session_id"]
        for r in sql(
            seeded_db_url, "SELECT session_id FROM sessions ORDER BY started_at DESC, session_id DESC"
        )
    ]
    seen: list[str] = []
    after = None
    while True:
        data = gql(seeded_server, key, SESSIONS_PAGE, first=100, after=after)["data"]["sessions"]
        seen += [edge["node"]["sessionId"] for edge in data["edges"]]
        assert data["totalCount"] == len(expected)
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == expected


def test_cursors_are_stable_when_rows_are_inserted_meanwhile(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    key = make_seeded_key("analyst")
    first_page = gql(seeded_server, key, SESSIONS_PAGE, first=10)["data"]["sessions"]
    domain = sql(seeded_db_url, "SELECT domain_id FROM domains LIMIT 1")[0]["domain_id"]
    sql(
        seeded_db_url,
        "INSERT INTO sessions (session_id, domain_id, visitor_id, started_at) "
        "VALUES ('sess_new_now', $1, 'v', now() + interval '1 minute')",
        domain,
    )
    second_page = gql(seeded_server, key, SESSIONS_PAGE, first=10, after=first_page["pageInfo"]["endCursor"])
    second = [e["node"]["sessionId"] for e in second_page["data"]["sessions"]["edges"]]
    expected = [
        r["session_id"]
        for r in sql(
            seeded_db_url,
            "SELECT session_id FROM sessions WHERE session_id <> 'sess_new_now' "
            "ORDER BY started_at DESC, session_id DESC OFFSET 10 LIMIT 10",
        )
    ]
    assert second == expected


def test_paging_backward_with_last_and_before(seeded_server: LiveServer, make_seeded_key: KeyMaker) -> None:
    key = make_seeded_key("analyst")
    forward = gql(seeded_server, key, SESSIONS_PAGE, first=20)["data"]["sessions"]["edges"]
    before = forward[15]["cursor"]
    backward = gql(seeded_server, key, SESSIONS_PAGE, last=5, before=before)["data"]["sessions"]
    assert [e["node"]["sessionId"] for e in backward["edges"]] == [
        e["node"]["sessionId"] for e in forward[10:15]
    ]
    assert backward["pageInfo"]["hasPreviousPage"] is True
    assert backward["pageInfo"]["hasNextPage"] is True


def test_filter_by_utm_campaign_and_range_matches_sql(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, seeded_db_url: str
) -> None:
    key = make_seeded_key("analyst")
    campaign, count = sql(
        seeded_db_url,
        "SELECT utm_campaign, count(DISTINCT session_id) FROM utm_tracking "
        "WHERE utm_campaign IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    data = gql(seeded_server, key, SESSIONS_PAGE, first=1, filter={"utmCampaign": {"eq": campaign}})
    assert data["data"]["sessions"]["totalCount"] == count
    converted = sql(
        seeded_db_url,
        "SELECT count(*) FROM sessions WHERE converted AND started_at >= now() - interval '30 days'",
    )[0][0]
    recent = gql(
        seeded_server,
        key,
        SESSIONS_PAGE,
        first=1,
        filter={"converted": {"eq": True}, "started": {"gte": "2000-01-01T00:00:00+00:00"}},
    )
    assert recent["data"]["sessions"]["totalCount"] >= converted


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"first": 5, "last": 5}, "last"),
        ({"after": "not-a-cursor"}, "after"),
        ({"last": 2, "before": "WyJkb21haW5zOm5hbWUiLFsiYSIsImIiXV0"}, "before"),
    ],
)
def test_bad_page_arguments_get_one_clear_error_naming_the_argument(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, variables: dict[str, Any], argument: str
) -> None:
    body = gql(seeded_server, make_seeded_key("analyst"), SESSIONS_PAGE, **variables)
    assert body.get("data") is None
    assert len(body["errors"]) == 1
    assert body["errors"][0]["message"].startswith(f"Argument '{argument}'")


def test_a_cursor_of_another_connection_is_refused(
    seeded_server: LiveServer, make_seeded_key: KeyMaker
) -> None:
    key = make_seeded_key("analyst")
    domain_cursor = gql(seeded_server, key, "{ domains(first: 1) { edges { cursor } } }")["data"]["domains"][
        "edges"
    ][0]["cursor"]
    body = gql(seeded_server, key, SESSIONS_PAGE, first=2, after=domain_cursor)
    assert "another connection" in body["errors"][0]["message"]


def test_unknown_ids_are_null_and_nested_lists_empty(
    seeded_server: LiveServer, make_seeded_key: KeyMaker
) -> None:
    key = make_seeded_key("analyst")
    body = gql(
        seeded_server,
        key,
        """{
      session(sessionId: "nope") { sessionId }
      domain(domainName: "nowhere.example") { domainName }
      landingPage(pageId: "00000000-0000-0000-0000-000000000000") { pageId }
      node(id: "RG9tYWluOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA==") { id }
    }""",
    )
    assert body == {"data": {"session": None, "domain": None, "landingPage": None, "node": None}}


def test_node_round_trips_a_global_id(seeded_server: LiveServer, make_seeded_key: KeyMaker) -> None:
    key = make_seeded_key("analyst")
    session = gql(seeded_server, key, "{ sessions(first: 1) { nodes { id sessionId } } }")["data"][
        "sessions"
    ]["nodes"][0]
    body = gql(
        seeded_server,
        key,
        "query($id: ID!) { node(id: $id) { id ... on Session { sessionId } } }",
        id=session["id"],
    )
    assert body["data"]["node"] == session


@pytest.mark.parametrize("role", ["connector", "analyst", "admin"])
def test_viewer_sees_no_personal_data_other_reading_roles_do(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, role: str
) -> None:
    query = """{
      sessions(first: 30, filter: {utmSource: {eq: "google"}}) {
        nodes { utmTrackings { nodes { clientIp userAgent utmSource } } leads { nodes { name email phone } } }
      }
      customers(first: 5) { nodes { name email phone document } }
    }"""

    def answer(key_role: str) -> dict[str, Any]:
        return gql(seeded_server, make_seeded_key(key_role), query)["data"]  # type: ignore[no-any-return]

    def captures(data: dict[str, Any]) -> list[dict[str, Any]]:
        return [u for s in data["sessions"]["nodes"] for u in s["utmTrackings"]["nodes"]]

    viewer, reader = answer("viewer"), answer(role)
    assert captures(viewer)
    assert all(u["clientIp"] is None and u["userAgent"] is None for u in captures(viewer))
    assert all(
        c == {"name": None, "email": None, "phone": None, "document": None}
        for c in viewer["customers"]["nodes"]
    )
    assert any(u["clientIp"] for u in captures(reader))
    assert any(u["userAgent"] for u in captures(reader))
    assert all(c["email"] for c in reader["customers"]["nodes"])
    assert [u["utmSource"] for u in captures(viewer)] == [u["utmSource"] for u in captures(reader)]
