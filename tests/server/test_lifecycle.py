"""Stopping: SIGTERM drains (readiness fails, requests still served), the request in flight completes, and the
embedded PostgreSQL that `rastro serve`/`demo` started is stopped by SIGTERM as by Ctrl-C."""

import json
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import key_maker
from tests.served import serving

DOMAINS = json.dumps({"query": "query Slow { domains(first: 3) { nodes { domainName } } }"}).encode()


def wait_for(condition, timeout: float = 30, step: float = 0.05) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(step)


def readiness(base_url: str) -> int | None:
    try:
        return httpx.get(f"{base_url}/readyz", timeout=2).status_code
    except httpx.TransportError:
        return None


def test_sigterm_drains_then_the_request_in_flight_completes(db_url: str, tmp_path: Path) -> None:
    key = key_maker(db_url)("analyst")
    env = {"DATABASE_URL": db_url, "RASTRO_DRAIN_SECONDS": "4"}
    with serving(tmp_path, "--workers", "1", env=env) as served:
        # A request in flight: headers and half of its body sent, the rest after SIGTERM.
        client = socket.create_connection(("127.0.0.1", served.port), timeout=30)
        head = (
            f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(DOMAINS)}\r\n\r\n"
        ).encode()
        client.sendall(head + DOMAINS[:10])
        served.process.send_signal(signal.SIGTERM)

        wait_for(lambda: readiness(served.base_url) == 503, timeout=10)
        draining = httpx.get(f"{served.base_url}/readyz").json()
        assert draining["status"] == "draining"
        # While draining, requests are still answered.
        still = httpx.post(
            f"{served.base_url}/graphql",
            content=DOMAINS,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        assert still.status_code == 200
        # Then the listener closes: new connections are refused...
        wait_for(lambda: readiness(served.base_url) is None, timeout=20)
        assert served.process.poll() is None, "the server waits for the request in flight"
        # ...and the request in flight is answered in full.
        client.sendall(DOMAINS[10:])
        response = b""
        while chunk := client.recv(65536):
            response += chunk
        client.close()
        status_line, _, rest = response.partition(b"\r\n")
        assert status_line == b"HTTP/1.1 200 OK"
        body = json.loads(rest.partition(b"\r\n\r\n")[2])
        assert body["data"]["domains"]["nodes"] is not None
        assert served.process.wait(timeout=30) == 143
    messages = [line.get("message") for line in served.log_lines()]
    assert "draining" in messages


def processes_using(path: Path) -> list[str]:
    """Command lines of the running processes that name `path`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(path) in command:
            found.append(command)
    return found


@pytest.mark.parametrize(
    ("command", "sig"),
    [("demo", signal.SIGTERM), ("serve", signal.SIGTERM), ("serve", signal.SIGINT)],
    ids=["demo-sigterm", "serve-sigterm", "serve-ctrl-c"],
)
def test_stopping_leaves_no_embedded_postgres_behind(command: str, sig: int, tmp_path: Path) -> None:
    # Outside pytest's root-only temporary tree: as root, pgserver runs PostgreSQL as its own user.
    scratch = Path(tempfile.mkdtemp(prefix="rastro-lifecycle-"))
    scratch.chmod(0o755)
    try:
        stop_and_check(command, sig, scratch / "pgdata", tmp_path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def stop_and_check(command: str, sig: int, data_dir: Path, tmp_path: Path) -> None:
    args = ["--data-dir", str(data_dir)] + (["--scale", "0.05"] if command == "demo" else [])
    with serving(tmp_path, *args, command=command, env={"RASTRO_DRAIN_SECONDS": "0"}) as served:
        assert any("postgres" in line for line in processes_using(data_dir)), "the embedded server runs"
        code = served.stop(sig)
    assert code in (0, 143), served.log_path.read_text()
    assert processes_using(data_dir) == []
    assert not (data_dir / "postmaster.pid").exists()
