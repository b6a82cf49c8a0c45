"""Workers as processes under faults: kill -9 mid-batch, four at once, a PostgreSQL restart, SIGTERM."""

import asyncio
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable

from models.enums import Destination
from server.migrate import upgrade
from tests.delivery.arrange import make_lead, make_site, queue_conversions, set_account
from tests.delivery.fakes_fixture import Fakes
from tests.delivery.processes import environment, rastro, start_worker
from tests.sql import fetch, fetch_one
from tests.throwaway_pg import throwaway_cluster

AD_PLATFORMS = (Destination.GOOGLE_ADS, Destination.META, Destination.LINKEDIN, Destination.TIKTOK)


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, worker: subprocess.Popen[str] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker is not None and worker.poll() is not None:
            raise AssertionError(
                f"the worker exited ({worker.returncode}): {worker.communicate()[1][-2000:]}"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def delivered(url: str) -> int:
    return int(fetch_one(url, "SELECT count(*) AS n FROM conversion_outbox WHERE status = 'delivered'")["n"])


def in_flight(fakes: Fakes) -> int:
    return sum(fake.in_flight for fake in fakes.ad_platforms().values())


def stop(worker: subprocess.Popen[str], timeout: float = 60) -> str:
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=timeout)
    assert worker.returncode == 0, err
    return out


def assert_each_row_sent_at_least_once_and_again_only_after_an_ambiguous_attempt(
    url: str, fakes: Fakes
) -> int:
    """Every row reached its platform; a row reached it twice only if one claim of it never settled."""
    rows = fetch(url, "SELECT platform, dedup_key, status, attempts FROM conversion_outbox")
    received = {platform: fake.ids() for platform, fake in fakes.ad_platforms().items()}
    resent = 0
    for row in rows:
        times = received[row["platform"]][row["dedup_key"]]
        assert row["status"] == "delivered", row
        assert times >= 1, f"{row['dedup_key']} never reached {row['platform']}"
        assert times <= row["attempts"], (
            f"{row['dedup_key']} sent {times} times in {row['attempts']} attempts"
        )
        resent += row["attempts"] > 1
    statuses = fetch(url, "SELECT DISTINCT value FROM offline_conversions, jsonb_each_text(sync_status)")
    assert [s["value"] for s in statuses] == ["success"]
    return resent


def test_kill_9_three_times_mid_batch_loses_no_conversion(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    for destination in AD_PLATFORMS:
        set_account(db_url, site, destination)
    queue_conversions(db_url, make_lead(db_url, site), count=1000)  # 4,000 deliveries
    for fake in fakes.ad_platforms().values():
        fake.delay = 0.4
    env = environment(db_url, fakes, RASTRO_DELIVERY_BATCH_SIZE="25", RASTRO_DELIVERY_LEASE_SECONDS="3")

    for kill in range(3):
        before = delivered(db_url)
        worker = start_worker(env)
        mid_batch = lambda b=before: delivered(db_url) > b and in_flight(fakes) > 0  # noqa: E731
        wait_until(mid_batch, 90, f"kill {kill + 1}: mid-batch", worker)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert delivered(db_url) < 4000  # the three kills came during the run

    survivor = start_worker(env)
    wait_until(lambda: delivered(db_url) == 4000, 240, "every row is delivered", survivor)
    stop(survivor)

    resent = assert_each_row_sent_at_least_once_and_again_only_after_an_ambiguous_attempt(db_url, fakes)
    assert resent > 0  # rows held by the killed workers were claimed again after their lease


def test_four_workers_share_the_rows_and_send_none_twice(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    for destination in AD_PLATFORMS:
        set_account(db_url, site, destination)
    queue_conversions(db_url, make_lead(db_url, site), count=250)  # 1,000 deliveries
    for fake in fakes.ad_platforms().values():
        fake.delay = 0.05
    env = environment(db_url, fakes, RASTRO_DELIVERY_BATCH_SIZE="10")

    workers = [start_worker(env) for _ in range(4)]
    wait_until(lambda: delivered(db_url) == 1000, 180, "every row is delivered")
    outputs = [stop(worker) for worker in workers]

    for platform, fake in fakes.ad_platforms().items():
        ids = fake.ids()
        assert len(ids) == 250 and set(ids.values()) == {1}, f"{platform}: an event arrived twice"
    attempts = fetch(url := db_url, "SELECT DISTINCT attempts FROM conversion_outbox")
    assert attempts == [{"attempts": 1}]
    assert fetch_one(url, "SELECT count(*) AS n FROM platform_sync_log")["n"] == 1000
    shares = [sum(int(n) for n in re.findall(r":delivered (\d+)", out)) for out in outputs]
    assert sum(shares) == 1000
    assert sum(share > 0 for share in shares) >= 2, shares  # the work was shared


def test_a_postgresql_restart_under_the_worker_is_ridden_out(fakes: Fakes) -> None:
    with throwaway_cluster() as cluster:
        url = cluster.url
        asyncio.run(upgrade(url))
        site = make_site(url)
        set_account(url, site, Destination.META)
        queue_conversions(url, make_lead(url, site), count=300)
        fakes.meta.delay = 0.3
        env = environment(url, fakes, RASTRO_DELIVERY_BATCH_SIZE="10", RASTRO_DELIVERY_LEASE_SECONDS="5")
        worker = start_worker(env)
        try:
            wait_until(lambda: delivered(url) > 20, 90, "the worker is delivering", worker)
            cluster.stop()
            time.sleep(2)
            cluster.start()
            wait_until(lambda: delivered(url) == 300, 180, "every row is delivered after the restart")
            assert worker.poll() is None  # it recovered by itself
        finally:
            worker.send_signal(signal.SIGTERM)
            _, err = worker.communicate(timeout=60)
        assert "database unavailable" in err or "outcomes not recorded" in err  # it did see the outage
        received = fakes.meta.ids()
        rows = fetch(url, "SELECT dedup_key, status, attempts FROM conversion_outbox WHERE platform = 'meta'")
        assert Counter(row["status"] for row in rows) == {"delivered": 300}
        unexplained = [(r["dedup_key"], received[r["dedup_key"]], r["attempts"]) for r in rows
                       if not 1 <= received[r["dedup_key"]] <= r["attempts"]]  # fmt: skip
        assert not unexplained


def test_sigterm_lets_sends_in_flight_finish(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    set_account(db_url, site, Destination.META)
    queue_conversions(db_url, make_lead(db_url, site), count=200)
    fakes.meta.delay = 1.0
    worker = start_worker(environment(db_url, fakes, RASTRO_DELIVERY_BATCH_SIZE="20"))
    wait_until(lambda: fakes.meta.in_flight > 0, 60, "requests are in flight")

    out = stop(worker)

    rows = fetch(
        db_url, "SELECT status, attempts, claim_token FROM conversion_outbox WHERE platform = 'meta'"
    )
    states = Counter(row["status"] for row in rows)
    assert set(states) <= {"delivered", "pending"} and states["delivered"] > 0
    assert all(row["claim_token"] is None for row in rows)
    assert states["delivered"] == len(fakes.meta.ids()) and f"meta:delivered {states['delivered']}" in out


def test_sigterm_releases_what_cannot_finish_within_the_grace_period(db_url: str, fakes: Fakes) -> None:
    site = make_site(db_url)
    set_account(db_url, site, Destination.META)
    queue_conversions(db_url, make_lead(db_url, site), count=100)
    fakes.meta.delay = 5.0
    env = environment(
        db_url, fakes, RASTRO_DELIVERY_BATCH_SIZE="10", RASTRO_DELIVERY_TIMEOUT_SECONDS="30",
        RASTRO_DELIVERY_SHUTDOWN_GRACE_SECONDS="0.5",
    )  # fmt: skip
    worker = start_worker(env)
    wait_until(lambda: fakes.meta.in_flight > 0, 60, "requests are in flight")
    started = time.monotonic()

    stop(worker)

    assert time.monotonic() - started < 4  # did not wait for the platform
    rows = fetch(
        db_url, "SELECT status, attempts, claim_token FROM conversion_outbox WHERE platform = 'meta'"
    )
    assert {(row["status"], row["attempts"], row["claim_token"]) for row in rows} == {("pending", 0, None)}
    fakes.meta.delay = 0
    again = rastro("worker", "--once", env=env)
    assert again.returncode == 0, again.stderr
    assert delivered(db_url) == 100  # another worker took them over at once, no lease to wait out
