"""The `rastro` command as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path

RASTRO = str(Path(sys.executable).with_name("rastro"))


def rastro(*args: str, database_url: str | None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [RASTRO, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def test_serve_with_an_unreachable_database_says_where_and_why_in_one_line() -> None:
    result = rastro("serve", database_url="postgresql://rastro@127.0.0.1:1/nowhere")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "127.0.0.1:1" in lines[0]
    assert "connection refused" in lines[0].lower()
    assert "Traceback" not in result.stderr + result.stdout


def test_serve_with_an_unknown_host_names_it() -> None:
    result = rastro("serve", database_url="postgresql://rastro@no-such-host.invalid:5432/x")
    assert result.returncode != 0
    assert "no-such-host.invalid" in result.stderr
    assert "Traceback" not in result.stderr


def test_keys_create_list_and_revoke(db_url: str) -> None:
    created = rastro("keys", "create", "--role", "connector", "--name", "hubspot-bridge", database_url=db_url)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("rst_")
    duplicate = rastro("keys", "create", "--role", "viewer", "--name", "hubspot-bridge", database_url=db_url)
    assert duplicate.returncode != 0
    assert "already exists" in duplicate.stderr
    listed = rastro("keys", "list", database_url=db_url)
    assert "hubspot-bridge" in listed.stdout
    assert "connector" in listed.stdout
    assert key not in listed.stdout
    assert rastro("keys", "revoke", "hubspot-bridge", database_url=db_url).returncode == 0
    again = rastro("keys", "revoke", "hubspot-bridge", database_url=db_url)
    assert again.returncode != 0
    assert "no active API key" in again.stderr


def test_keys_create_rejects_an_unknown_role(db_url: str) -> None:
    result = rastro("keys", "create", "--role", "superuser", "--name", "x", database_url=db_url)
    assert result.returncode != 0
    assert "superuser" in result.stderr


def test_export_schema_to_stdout() -> None:
    result = rastro("export-schema", "--output", "-", database_url=None)
    assert result.returncode == 0
    assert "type Query" in result.stdout
