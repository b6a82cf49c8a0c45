"""What clients choose (documents, operation names, landing pages, persisted queries) cannot grow a worker's
memory without bound: every cache keyed by it stays at its size, however many distinct ones arrive."""

import asyncio
import hashlib
from typing import Any

import httpx
import pytest
from strawberry.extensions.parser_cache import _get_parse_cache

from resolvers.compiled.reads import CompiledReads
from resolvers.context import CACHED_DOCUMENT_CHARS
from resolvers.ingest.statements import compiled_count
from schema.schema import DOCUMENT_CACHE_SIZE
from server.memory_report import cache_sizes
from server.persisted_queries import ENTRY_OVERHEAD_BYTES
from telemetry import metrics
from telemetry.metrics import MAX_OPERATION_NAMES
from tests.conftest import KeyMaker
from tests.ingest.tracking import make_domain, visit_async
from tests.live import LiveServer, live_server
from tests.metrics_text import scrape

DISTINCT = DOCUMENT_CACHE_SIZE + 64


def persisted(digest: str) -> dict[str, object]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


async def send_all(client: httpx.AsyncClient, bodies: list[dict[str, object]]) -> list[httpx.Response]:
    """Eight at a time, as a busy frontend would."""
    gate = asyncio.Semaphore(8)

    async def one(body: dict[str, object]) -> httpx.Response:
        async with gate:
            return await client.post("/graphql", json=body)

    return await asyncio.gather(*(one(body) for body in bodies))


def test_distinct_documents_and_operation_names_leave_every_cache_at_its_bound(
    db_url: str, make_key: KeyMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The names this process labels by are its own: the other tests' names must stay labelled after this one.
    monkeypatch.setattr(metrics, "_seen_names", set())
    make_domain(db_url)
    key = make_key("analyst")
    # Each a new text and a new operation name; half on the compiled path, half on the Python one.
    bodies: list[dict[str, object]] = [
        {"query": f"query Count{n} {{ domains {{ totalCount }} }}"}
        if n % 2
        else {"query": f"query Names{n} {{ domains(first: 1) {{ nodes {{ domainName }} }} }}"}
        for n in range(DISTINCT)
    ]
    with live_server(db_url, metrics_open=True) as live:

        async def run() -> list[httpx.Response]:
            async with live.async_client(key) as client:
                return await send_all(client, bodies)

        answers = asyncio.run(run())
        with live.client() as client:
            samples = scrape(client)
        sizes = cache_sizes(live.app)
    assert [a.status_code for a in answers] == [200] * DISTINCT
    assert answers[-1].json() == {"data": {"domains": {"totalCount": 1}}}
    assert sizes["parsed documents"] == sizes["validated documents"] == DOCUMENT_CACHE_SIZE
    assert 0 < sizes["compiled plans"] <= CompiledReads().size
    operations = {dict(labels)["operation"] for name, labels in samples if name == "rastro_requests_total"}
    ours = {operation for operation in operations if operation.startswith(("Count", "Names"))}
    assert len(ours) <= MAX_OPERATION_NAMES < DISTINCT
    assert "other" in operations


def test_new_landing_pages_do_not_grow_the_tracking_statements(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    site, key = make_domain(db_url), make_key("ingest")

    async def visits(paths: range) -> None:
        async with server.async_client(key) as client:
            for n in paths:
                answer = await visit_async(client, {"url": site.url(f"/oferta-{n}"), "visitorId": f"v-{n}"})
                assert answer["pageView"]["pageId"]

    asyncio.run(visits(range(5)))
    after_five = compiled_count()
    asyncio.run(visits(range(5, 105)))
    assert compiled_count() == after_five


def test_tiny_persisted_queries_are_held_to_the_cache_bytes_with_their_keys(
    db_url: str, make_key: KeyMaker
) -> None:
    cache_bytes = 100_000
    documents = [f"{{ __typename }} # {n}" for n in range(600)]
    hashes = [hashlib.sha256(document.encode()).hexdigest() for document in documents]
    with (
        live_server(db_url, persisted_query_cache_bytes=cache_bytes) as live,
        live.client(make_key("admin")) as c,
    ):
        for document, digest in zip(documents, hashes, strict=True):
            assert c.post("/graphql", json=persisted(digest) | {"query": document}).status_code == 200
        by_hash, oldest = (c.post("/graphql", json=persisted(digest)) for digest in (hashes[-1], hashes[0]))
        sizes = cache_sizes(live.app)
    # 600 documents of 22 characters are 13 KB of text, but 160 KB of memory with their keys.
    assert sizes["persisted queries"] <= cache_bytes // ENTRY_OVERHEAD_BYTES < len(documents)
    assert sizes["persisted query bytes"] <= cache_bytes
    assert by_hash.json() == {"data": {"__typename": "Query"}}
    assert oldest.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_long_documents_are_answered_but_not_kept(server: LiveServer, make_key: KeyMaker) -> None:
    padding = "# " + "x" * CACHED_DOCUMENT_CHARS + "\n"
    documents = [f"{padding}query Long{n} {{ domains {{ totalCount }} }}" for n in range(2)]
    parsed: Any = _get_parse_cache(DOCUMENT_CACHE_SIZE)  # functools.lru_cache
    before = parsed.cache_info()
    with server.client(make_key("analyst")) as client:
        answers = [client.post("/graphql", json={"query": document}).json() for document in documents * 2]
    assert answers == [{"data": {"domains": {"totalCount": 0}}}] * 4
    assert parsed.cache_info()[:2] == before[:2]  # neither a hit nor a miss: parsed without the cache
    assert all(server.app.state.compiled.known(document, None) is None for document in documents)
