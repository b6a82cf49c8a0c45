"""/metrics: access setting, and values that move as requests are made (one process and several workers)."""

import asyncio
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.conftest import KeyMaker, key_maker
from tests.live import live_server
from tests.metrics_text import Samples, parse, scrape, total, value
from tests.mutations.db import open_leads, set_click_ids
from tests.mutations.graphql import REGISTER_OFFLINE_CONVERSION, send
from tests.served import serving

DOMAINS = {"query": "query DomainList { domains(first: 5) { nodes { domainName } } }"}
JOURNEY = {
    "query": """query Pages { domains(first: 3) { nodes {
        landingPages(first: 5) { nodes { pageUrl sessionsStarted(first: 5) { nodes { sessionId } } } } } } }""",
    "operationName": "Pages",
}


def test_metrics_are_off_until_a_setting_opens_them(db_url: str) -> None:
    with live_server(db_url) as live, live.client() as client:
        response = client.get("/metrics")
        assert response.status_code == 404
        assert "RASTRO_METRICS_TOKEN" in response.json()["error"]


def test_a_metrics_token_is_required_when_set(db_url: str) -> None:
    with live_server(db_url, metrics_token="scrape-secret") as live, live.client() as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        samples = scrape(client, "scrape-secret")
        assert value(samples, "rastro_database_up") == 1


def test_request_counts_latency_and_statements_move_with_requests(
    seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    key = make_seeded_key("analyst")
    with live_server(seeded_db_url, metrics_open=True) as live, live.client(key) as client:
        before = scrape(client)
        for _ in range(3):
            assert client.post("/graphql", json=DOMAINS).status_code == 200
        assert client.post("/graphql", json={"query": "query Broken { domains { nope } }"}).status_code == 200
        with live.client("rst_unknown") as stranger:
            assert stranger.post("/graphql", json=DOMAINS).status_code == 401
        after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"operation": "DomainList", "role": "analyst", "outcome": "ok"}
    assert delta("rastro_requests_total", **ok) == 3
    assert delta("rastro_request_duration_seconds_count", **ok) == 3
    assert delta("rastro_request_duration_seconds_sum", **ok) > 0
    assert delta("rastro_requests_total", operation="Broken", role="analyst", outcome="error") == 1
    assert delta("rastro_requests_total", operation="/graphql", role="none", outcome="denied") == 1
    # The domains page is one statement (the key is cached after the first request).
    assert delta("rastro_sql_statements_per_request_count", operation="DomainList") == 3
    assert 3 <= delta("rastro_sql_statements_per_request_sum", operation="DomainList") <= 6


def test_dataloader_batches_are_measured_by_table(seeded_db_url: str, make_seeded_key: KeyMaker) -> None:
    key = make_seeded_key("analyst")
    # DataLoaders serve the queries the compiled read path does not answer in one statement.
    with (
        live_server(seeded_db_url, metrics_open=True, compiled_reads=False) as live,
        live.client(key) as client,
    ):
        before = scrape(client)
        answer = client.post("/graphql", json=JOURNEY).json()
        after = scrape(client)
    pages = [
        page for domain in answer["data"]["domains"]["nodes"] for page in domain["landingPages"]["nodes"]
    ]
    assert pages

    def batch(stat: str, table: str) -> float:
        name = f"rastro_dataloader_batch_size_{stat}"
        return total(after, name, kind="paged", table=table) - total(before, name, kind="paged", table=table)

    # One batch per level, holding every parent of that level.
    assert batch("count", "landing_pages") == 1
    assert batch("sum", "landing_pages") == len(answer["data"]["domains"]["nodes"])
    assert batch("count", "sessions") == 1
    assert batch("sum", "sessions") == len(pages)


def test_pool_in_use_and_waiting_show_a_saturated_pool(seeded_db_url: str, make_seeded_key: KeyMaker) -> None:
    lead_id = str(open_leads(seeded_db_url)[0]["lead_id"])
    key = make_seeded_key("connector")
    settings = {"metrics_open": True, "pool_size": 1, "pool_max_overflow": 0, "lock_timeout_ms": 60_000}
    with live_server(seeded_db_url, **settings) as live:
        seen = asyncio.run(_saturate(live.base_url, seeded_db_url, key, lead_id))
    during, after = seen
    assert value(during, "rastro_db_pool_in_use", pool="writes") == 1
    assert value(during, "rastro_db_pool_waiting", pool="writes") >= 1
    assert value(after, "rastro_db_pool_in_use", pool="writes") == 0
    assert value(after, "rastro_db_pool_waiting", pool="writes") == 0


async def _saturate(base_url: str, db_url: str, key: str, lead_id: str) -> tuple[Samples, Samples]:
    """Lock a lead, so an update of it holds the only pooled connection while a second one queues for it."""
    locker = await asyncpg.connect(db_url)
    update = {
        "query": "mutation U($input: UpdateLeadInput!) { updateLead(input: $input) { errors { code } } }",
        "variables": {"input": {"leadId": lead_id, "company": "Acme"}},
    }
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        # The key lookup first, so the queued requests need only the lead.
        assert (await client.post("/graphql", json={"query": "{ __typename }"})).status_code == 200
        transaction = locker.transaction()
        await transaction.start()
        await locker.execute("SELECT 1 FROM leads WHERE lead_id = $1 FOR UPDATE", uuid.UUID(lead_id))
        writes = [asyncio.create_task(client.post("/graphql", json=update)) for _ in range(2)]
        try:
            for _ in range(400):  # up to 20 s: on a loaded machine the two requests arrive late
                during = await _scrape_async(client)
                in_use = value(during, "rastro_db_pool_in_use", pool="writes")
                if in_use == 1 and value(during, "rastro_db_pool_waiting", pool="writes") >= 1:
                    break
                await asyncio.sleep(0.05)
        finally:
            await transaction.rollback()
            await locker.close()
        assert [response.status_code for response in await asyncio.gather(*writes)] == [200, 200]
        return during, await _scrape_async(client)


async def _scrape_async(client: httpx.AsyncClient) -> Samples:
    return parse((await client.get("/metrics")).text)


def test_outbox_depth_and_lag_per_platform(seeded_db_url: str, make_seeded_key: KeyMaker) -> None:
    lead = open_leads(seeded_db_url)[0]
    set_click_ids(seeded_db_url, lead["utm_tracking_id"], gclid="G-metrics")
    with live_server(seeded_db_url, metrics_open=True) as live:
        with live.client() as client:
            before = scrape(client)
        with live.client(make_seeded_key("connector")) as client:
            sale = {
                "leadId": str(lead["lead_id"]),
                "value": "99.90",
                "conversionDate": "2025-03-01T12:00:00Z",
            }
            assert send(client, REGISTER_OFFLINE_CONVERSION, sale)["created"] is True
        with live.client() as client:
            after = scrape(client)
    assert value(after, "rastro_outbox_depth", platform="google_ads") == (
        value(before, "rastro_outbox_depth", platform="google_ads") + 1
    )
    assert value(after, "rastro_outbox_lag_seconds", platform="google_ads") >= 0
    assert ("rastro_outbox_depth", frozenset({("platform", "tiktok")})) in after


def test_workers_metrics_are_summed_across_processes(db_url: str, tmp_path: Path) -> None:
    key = key_maker(db_url)("analyst")
    env = {"DATABASE_URL": db_url, "RASTRO_METRICS_OPEN": "true"}
    with serving(tmp_path, "--workers", "2", env=env) as served:
        # New connections until both workers have answered some (the second may start a little later).
        requests, pids = 0, set()
        deadline = time.monotonic() + 90
        while len(pids) < 2 and time.monotonic() < deadline:
            response = httpx.post(
                f"{served.base_url}/graphql", json=DOMAINS, headers={"Authorization": f"Bearer {key}"}
            )
            assert response.status_code == 200
            requests += 1
            pids = {line.get("pid") for line in served.log_lines() if line.get("message") == "request"}
        # A new connection per scrape too: each may be answered by either worker.
        counts = set()
        for _ in range(6):
            with httpx.Client(base_url=served.base_url) as client:
                counts.add(
                    value(
                        scrape(client),
                        "rastro_requests_total",
                        operation="DomainList",
                        role="analyst",
                        outcome="ok",
                    )
                )
    assert counts == {requests}, "every scrape, whichever worker answers it, sees both workers' requests"
    assert len(pids) == 2, "both workers served requests"
    assert requests >= 2


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
