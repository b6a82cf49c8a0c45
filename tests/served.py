"""`rastro serve` (or `demo`) as its own process, as an operator runs it: real signals, real workers."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.live import free_port

RASTRO = str(Path(sys.executable).with_name("rastro"))


@dataclass
class Served:
    base_url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_lines(self) -> list[dict[str, Any]]:
        """The JSON lines the server wrote to stderr (other lines are kept as {'text': ...})."""
        lines = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                lines.append({"text": line})
        return lines

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)


@contextmanager
def serving(
    log_dir: Path,
    *args: str,
    command: str = "serve",
    env: dict[str, str] | None = None,
    ready_timeout: float = 120,
) -> Iterator[Served]:
    """Start `rastro <command> --port P *args`, wait until /readyz answers 200; kill it if the test did not stop it."""
    port = free_port()
    log_path = log_dir / f"rastro-{command}-{port}.log"
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | (env or {})
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [RASTRO, command, "--port", str(port), *args], env=environment, stdout=log, stderr=log
        )
    served = Served(f"http://127.0.0.1:{port}", port, process, log_path)
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"rastro {command} exited {process.returncode}:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{served.base_url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"rastro {command} not ready:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield served
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
