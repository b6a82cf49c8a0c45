"""The journey query costs the same number of SQL statements on a small and a 10x larger dataset."""

from collections.abc import Iterator
from contextlib import contextmanager

from schema.graphiql import JOURNEY_QUERY
from tests.conftest import key_maker
from tests.live import LiveServer, live_server

# Relation levels of the journey query, each one statement: domain, landingPages, sessionsStarted (+ its
# totalCount), utmTrackings, pageViews, pageViews.landingPage, events, leads, stages, offlineConversions,
# platformSyncLogs, the lead's customer, transactions, payments; plus the API key lookup.
MAX_STATEMENTS = 16
FRAGMENT = (
    JOURNEY_QUERY[JOURNEY_QUERY.index("fragment Journey") :]
    .replace("landingPages(first: 3)", "landingPages(first: 11)")
    .replace("sessionsStarted(first: 5)", "sessionsStarted(first: 50)")
)
# The journey of every domain: the larger dataset has more domains, so more rows at every level.
ALL_DOMAINS = "query { domains(first: 100) { nodes { ...Journey } } }\n" + FRAGMENT


# Every domain's whole journey is an upper bound of millions of nodes (schema/cost.py); the data is small.
UNBOUNDED = {"max_query_nodes": 10**9}


@contextmanager
def journey_servers(small_url: str, large_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Servers on the small and the large dataset that take the every-domain journeys."""
    with live_server(small_url, **UNBOUNDED) as small, live_server(large_url, **UNBOUNDED) as large:
        yield small, large


def run_journey(server: LiveServer, key: str) -> tuple[int, int, dict[str, object]]:
    with server.client(key) as client:
        client.post(
            "/graphql", json={"query": "{ __typename }"}
        )  # the key's first use also records last_used_at
        server.counter.reset()
        body = client.post("/graphql", json={"query": ALL_DOMAINS}).json()
    assert "errors" not in body, body
    return server.counter.count, count_nodes(body), body


def count_nodes(value: object) -> int:
    if isinstance(value, dict):
        return sum(count_nodes(v) for v in value.values()) + (1 if "nodes" in value else 0)
    if isinstance(value, list):
        return len(value) + sum(count_nodes(v) for v in value)
    return 0


def test_journey_statements_depend_on_depth_not_on_rows(seeded_db_url: str, large_seeded_db_url: str) -> None:
    small_key = key_maker(seeded_db_url)("analyst")
    large_key = key_maker(large_seeded_db_url)("analyst")

    with journey_servers(seeded_db_url, large_seeded_db_url) as (seeded_server, large):
        small_statements, small_rows, small_body = run_journey(seeded_server, small_key)
        large_statements, large_rows, _ = run_journey(large, large_key)

    assert large_rows > 2 * small_rows, (small_rows, large_rows)  # the larger dataset really returns more
    leads = [
        lead
        for domain in small_body["data"]["domains"]["nodes"]  # type: ignore[index]
        for page in domain["landingPages"]["nodes"]
        for session in page["sessionsStarted"]["nodes"]
        for lead in session["leads"]["nodes"]
    ]
    assert leads, "the journey reached no lead: the query is too shallow to prove anything"
    assert small_statements == large_statements
    assert small_statements <= MAX_STATEMENTS, small_statements


# The frontends' journey (the side-by-side bench's selection): every field of it is compiled.
COMPILED_JOURNEY = """query { domains(first: 100) { nodes { domainName
  landingPages(first: 20) { nodes { pageId pageName
    sessionsStarted(first: 50) { totalCount nodes { sessionId startedAt
      utmTrackings(first: 5) { nodes { utmSource utmMedium utmCampaign gclid } }
      pageViews(first: 20) { nodes { viewOrder timeOnPage landingPage { pageName } } }
      events(first: 20) { nodes { eventType eventLabel } }
      leads(first: 5) { nodes { leadId email leadScore
        stages(first: 10) { nodes { stageName stageValue createdAt } }
        offlineConversions(first: 5) { nodes { conversionName conversionValue syncStatusJson
          platformSyncLogs(first: 10) { nodes { platform syncStatus httpStatusCode } } } } } } } } } } } } }"""


def test_compiled_journey_is_one_statement_whatever_the_data_size(
    seeded_db_url: str, large_seeded_db_url: str
) -> None:
    measured = []
    with journey_servers(seeded_db_url, large_seeded_db_url) as servers:
        for server, url in zip(servers, (seeded_db_url, large_seeded_db_url), strict=True):
            with server.client(key_maker(url)("viewer")) as client:
                client.post("/graphql", json={"query": COMPILED_JOURNEY})  # learns the plan, warms the key
                server.counter.reset()
                body = client.post("/graphql", json={"query": COMPILED_JOURNEY}).json()
            assert "errors" not in body, body
            measured.append((server.counter.count, count_nodes(body)))
    (small_statements, small_rows), (large_statements, large_rows) = measured
    assert large_rows > 2 * small_rows, measured
    assert small_statements == large_statements == 1, measured
