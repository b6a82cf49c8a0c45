"""Every answer says no-store (unless its route chose a cache policy) and nosniff, refusals included."""

from tests.conftest import KeyMaker
from tests.live import LiveServer


def test_every_answer_is_no_store_and_nosniff(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client(make_key("admin")) as client:
        answers = {
            "data": client.post("/graphql", json={"query": "{ domains { totalCount } }"}),
            "graphql error": client.post("/graphql", json={"query": "{ nope }"}),
            "bad json": client.post("/graphql", content=b"{", headers={"content-type": "application/json"}),
            "too large": client.post(
                "/graphql", content=b"x" * 1_000_001, headers={"content-type": "application/json"}
            ),
            "not found": client.get("/nowhere"),
            "healthz": client.get("/healthz"),
            "readyz": client.get("/readyz"),
        }
    with server.client("rst_" + "x" * 40) as stranger:
        answers["unauthenticated"] = stranger.post("/graphql", json={"query": "{ domains { totalCount } }"})
    for what, response in answers.items():
        assert response.headers["cache-control"] == "no-store", what
        assert response.headers["x-content-type-options"] == "nosniff", what
    with server.client() as client:
        tracker = client.get("/t.js")
    assert tracker.headers["cache-control"] == "public, max-age=3600"  # its own policy stays
    assert tracker.headers.get_list("x-content-type-options") == ["nosniff"]
