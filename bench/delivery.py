"""Delivery worker: deliveries/s against fake platforms answering in 50 ms, the worker's RSS, and the
requests each platform saw in flight at once (bounded by RASTRO_DELIVERY_CONCURRENCY).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/delivery.py \
        [--conversions 2000] [--delay 0.05] [--concurrency 1 4 8] [--batch-size 500 20]

Creates a migrated scratch database on that server (dropped after), and for each concurrency and batch
size starts the four fake ad platforms on loopback and `rastro worker` in its own process, queues the
conversions (one outbox row per platform each) and times them until every row is delivered.
"""

import argparse
import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.enums import Destination
from server.migrate import upgrade
from tests import pg
from tests.delivery.arrange import make_lead, make_site, queue_conversions, set_account
from tests.delivery.fakes_fixture import running_fakes
from tests.delivery.processes import environment, start_worker
from tests.sql import fetch_one

AD_PLATFORMS = (Destination.GOOGLE_ADS, Destination.META, Destination.LINKEDIN, Destination.TIKTOK)
HEADER = (
    "concurrency  batch  deliveries   seconds  deliveries/s  requests  peak in flight per platform"
    "  sent twice  RSS MiB (peak)"
)


@contextmanager
def migrated_database() -> Iterator[str]:
    admin_url = os.environ["DATABASE_URL"]
    name = pg.unique_name("rastro_bench_delivery")
    url = pg.create_database(admin_url, name)
    try:
        asyncio.run(upgrade(url))
        yield url
    finally:
        pg.drop_database(admin_url, name)


def memory_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident set of a process, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def delivered(url: str, since_id: int) -> int:
    query = "SELECT count(*) AS n FROM conversion_outbox WHERE status = 'delivered' AND id > $1"
    return int(fetch_one(url, query, since_id)["n"])


def last_outbox_id(url: str) -> int:
    return int(fetch_one(url, "SELECT coalesce(max(id), 0) AS n FROM conversion_outbox")["n"])


def wait_for_worker(url: str, worker: subprocess.Popen[str]) -> None:
    """Until the worker's lanes hold database connections: it has started and is polling."""
    query = (
        "SELECT count(*) AS n FROM pg_stat_activity"
        " WHERE application_name = 'rastro-worker' AND datname = current_database()"
    )
    for _ in range(600):
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited: {worker.communicate()[1][-2000:]}")
        if fetch_one(url, query)["n"] > 0:
            return
        time.sleep(0.05)
    raise SystemExit("the worker did not start")


def cell(url: str, conversions: int, delay: float, concurrency: int, batch_size: int) -> str:
    site = make_site(url, f"bench-{concurrency}-{batch_size}.example.com.br")
    for destination in AD_PLATFORMS:
        set_account(url, site, destination)
    lead = make_lead(url, site)
    with running_fakes() as fakes:
        fakes_by_platform = fakes.ad_platforms()
        for fake in fakes_by_platform.values():
            fake.delay = delay
        env = environment(
            url,
            fakes,
            RASTRO_DELIVERY_CONCURRENCY=str(concurrency),
            RASTRO_DELIVERY_BATCH_SIZE=str(batch_size),
            RASTRO_DELIVERY_POLL_SECONDS="0.05",
        )
        worker = start_worker(env)
        try:
            wait_for_worker(url, worker)
            since = last_outbox_id(url)
            queue_conversions(url, lead, count=conversions)
            started = time.perf_counter()
            expected = conversions * len(AD_PLATFORMS)
            peak_rss = 0.0
            while (done := delivered(url, since)) < expected:
                if worker.poll() is not None:
                    raise SystemExit(f"the worker exited: {worker.communicate()[1][-2000:]}")
                peak_rss = max(peak_rss, memory_mib(worker.pid)[1])
                time.sleep(0.02)
            seconds = time.perf_counter() - started
            rss, peak_rss = memory_mib(worker.pid)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.communicate(timeout=60)
        requests = sum(len(fake.requests) for fake in fakes_by_platform.values())
        peaks = "/".join(str(fake.peak) for fake in fakes_by_platform.values())
        twice = sum(sum(1 for n in fake.ids().values() if n > 1) for fake in fakes_by_platform.values())
    return (
        f"{concurrency:>11}  {batch_size:>5}  {done:>10,}  {seconds:>8.2f}  {done / seconds:>12,.0f}"
        f"  {requests:>8,}  {peaks:>27}  {twice:>10}  {rss:>6.0f} ({peak_rss:.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversions", type=int, default=2000)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds each fake takes to answer")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--batch-size", type=int, nargs="+", default=[500, 20])
    args = parser.parse_args()
    print(
        f"{args.conversions:,} conversions x {len(AD_PLATFORMS)} platforms, fakes answer in "
        f"{args.delay * 1000:.0f} ms; peak in flight: google_ads/meta/linkedin/tiktok",
        flush=True,
    )
    with migrated_database() as url:
        print(HEADER, flush=True)
        for batch_size, concurrency in itertools.product(args.batch_size, args.concurrency):
            print(cell(url, args.conversions, args.delay, concurrency, batch_size), flush=True)


if __name__ == "__main__":
    main()
