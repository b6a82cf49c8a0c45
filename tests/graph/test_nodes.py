"""nodes(ids:): objects of several types by global id, in order, in one statement per type."""

from tests.conftest import KeyMaker
from tests.graph.test_connections import gql
from tests.live import LiveServer

IDS = """{
  sessions(first: 10) { nodes { id sessionId } }
  leads(first: 10) { nodes { id leadId } }
}"""
NODES = """query($ids: [ID!]!) {
  nodes(ids: $ids) { id ... on Session { sessionId } ... on Lead { leadId } }
}"""
MISSING_LEAD = "TGVhZDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA="  # Lead:00000000-...


def test_nodes_of_two_types_take_one_statement_per_type(
    seeded_server: LiveServer, make_seeded_key: KeyMaker
) -> None:
    key = make_seeded_key("analyst")
    listed = gql(seeded_server, key, IDS)["data"]
    wanted = [
        n for pair in zip(*(listed[k]["nodes"] for k in ("sessions", "leads")), strict=True) for n in pair
    ]
    ids = [node["id"] for node in wanted]
    assert len(ids) == 20

    seeded_server.counter.reset()
    body = gql(seeded_server, key, NODES, ids=[*ids, MISSING_LEAD])

    assert body == {"data": {"nodes": [*wanted, None]}}
    assert seeded_server.counter.count == 2, seeded_server.counter.statements


def test_one_bad_id_is_named_and_nothing_is_loaded(
    seeded_server: LiveServer, make_seeded_key: KeyMaker
) -> None:
    key = make_seeded_key("analyst")
    body = gql(seeded_server, key, NODES, ids=[MISSING_LEAD, "not-an-id"])
    assert body.get("data") is None
    assert body["errors"][0]["message"].startswith("Argument 'ids' is not a valid global id")
