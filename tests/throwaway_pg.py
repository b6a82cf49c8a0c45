"""A PostgreSQL cluster of a test's own (initdb + pg_ctl on a free port), for tests that stop or restart it.

The shared server on 5432 is never touched. As root, the cluster runs as the postgres user.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.live import free_port

BIN = Path("/usr/lib/postgresql/15/bin")


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Cluster:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str, timeout: float = 60) -> None:
        command = [str(BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", "30", *args]
        subprocess.run(_as_owner(command), check=True, capture_output=True, timeout=timeout)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.data}"
        self.ctl("-o", options, "-l", str(self.data / "server.log"), "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    if not (BIN / "initdb").exists():
        raise RuntimeError(f"PostgreSQL 15 binaries not found in {BIN}")
    init = [str(BIN / "initdb"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "-D"]
    with _cluster("rastro-pg-", init) as cluster:
        yield cluster


@contextmanager
def streaming_replica(primary: Cluster) -> Iterator[Cluster]:
    """A hot standby of `primary` (pg_basebackup -R: streaming replication), on a port of its own."""
    backup = [str(BIN / "pg_basebackup"), "-R", "-X", "stream", "-c", "fast", "-h", "127.0.0.1"]
    with _cluster("rastro-replica-", [*backup, "-p", str(primary.port), "-U", "postgres", "-D"]) as replica:
        yield replica


@contextmanager
def _cluster(prefix: str, make_data: list[str]) -> Iterator[Cluster]:
    """Runs `make_data` + the data directory (initdb, pg_basebackup), then starts a cluster on it."""
    root = Path(tempfile.mkdtemp(prefix=prefix))  # directly in /tmp: the postgres user can reach it
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "pgdata"
    subprocess.run(_as_owner([*make_data, str(data)]), check=True, capture_output=True, timeout=120)
    cluster = Cluster(data, free_port())
    cluster.start()
    try:
        yield cluster
    finally:
        _stop_now(data)
        shutil.rmtree(root, ignore_errors=True)


def _stop_now(data: Path) -> None:
    """Stops the cluster in `data` if it still runs (a test may have stopped it)."""
    command = [str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
    subprocess.run(_as_owner(command), capture_output=True, timeout=60, check=False)
