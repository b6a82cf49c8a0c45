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
    root = Path(tempfile.mkdtemp(prefix="rastro-pg-"))  # directly in /tmp: the postgres user can reach it
    data = root / "pgdata"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    init = [str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]
    subprocess.run(_as_owner(init), check=True, capture_output=True, timeout=120)
    cluster = Cluster(data, free_port())
    cluster.start()
    try:
        yield cluster
    finally:
        subprocess.run(
            _as_owner([str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)
