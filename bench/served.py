"""What every benchmark needs: a seeded scratch database, and `rastro serve` on it in its own process."""

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx

from server.migrate import upgrade
from server.seed import seed_database
from tests import pg
from tests.live import free_port


@contextmanager
def scratch_database(prefix: str, scale: float) -> Iterator[str]:
    """A migrated database seeded at `scale` on DATABASE_URL's server, dropped afterwards; its URL."""
    admin_url = os.environ["DATABASE_URL"]
    name = pg.unique_name(prefix)
    url = pg.create_database(admin_url, name)
    try:
        asyncio.run(upgrade(url))
        started = time.perf_counter()
        asyncio.run(seed_database(url, scale))
        print(f"seed scale {scale:g}: {time.perf_counter() - started:.1f} s", flush=True)
        yield url
    finally:
        pg.drop_database(admin_url, name)


class Served(NamedTuple):
    base_url: str
    pid: int


@contextmanager
def served(url: str, workers: int = 1) -> Iterator[Served]:
    """`rastro serve` on a free loopback port, until it is ready."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "RASTRO_LOG_LEVEL": "warning"}
    rastro = Path(sys.executable).with_name("rastro")
    server = subprocess.Popen([str(rastro), "serve", "--port", str(port), "--workers", str(workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield Served(base, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def memory_mib(pid: int, field: str = "VmHWM") -> float:
    """A /proc status field of the server (VmHWM: peak resident, VmRSS: now), its worker processes summed."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            total += int(line.split()[1]) / 1024
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        total += memory_mib(int(child), field)
    return total
