"""A memory ceiling per request: an answer longer than RASTRO_MAX_RESPONSE_BYTES is replaced by a
RESPONSE_TOO_LARGE error giving its size and the limit, on both read paths, and the server goes on."""

from tests.conftest import KeyMaker
from tests.live import live_server
from tests.server.test_errors import error_of

LIMIT = 2_000
SESSIONS = "{ sessions(first: 100) { nodes { sessionId visitorId startedAt } } }"
SMALL = "{ domains(first: 1) { totalCount } }"


def test_an_answer_over_the_ceiling_is_refused_and_the_next_one_is_served(
    seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    key = make_seeded_key("admin")
    with live_server(seeded_db_url, max_response_bytes=LIMIT) as server, server.client(key) as client:
        # The first answer comes from the Python path and teaches the compiled path; the second is its own.
        answers = [client.post("/graphql", json={"query": SESSIONS}) for _ in range(2)]
        assert server.app.state.compiled.known(SESSIONS, None) is not None, "the compiled path answered"
        small = client.post("/graphql", json={"query": SMALL})
        client.headers["Accept"] = "application/graphql-response+json"
        strict = client.post("/graphql", json={"query": SESSIONS})
    for answer in answers:
        assert answer.status_code == 200
        error = error_of(answer)
        assert error["extensions"]["code"] == "RESPONSE_TOO_LARGE"
        size = int(error["message"].split(" bytes")[0].rsplit(" ", 1)[1].replace(",", ""))
        assert size > LIMIT
        assert f"over the limit of {LIMIT:,} (RASTRO_MAX_RESPONSE_BYTES)" in error["message"]
        assert len(answer.content) < LIMIT
    assert small.status_code == 200
    assert small.json()["data"]["domains"]["totalCount"] > 0
    assert strict.status_code == 400
    assert strict.json()["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
