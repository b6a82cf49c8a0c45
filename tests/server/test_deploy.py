"""The Kubernetes example speaks of routes, commands and settings that exist."""

from pathlib import Path
from typing import Any

import yaml

from server.cli import app as cli
from server.settings import Settings

EXAMPLE = Path(__file__).parents[2] / "deploy" / "kubernetes" / "rastro.yaml"


def containers() -> list[dict[str, Any]]:
    documents = [d for d in yaml.safe_load_all(EXAMPLE.read_text()) if d]
    return [
        container
        for d in documents
        if d["kind"] in ("Deployment", "Job")
        for container in d["spec"]["template"]["spec"]["containers"]
    ]


def test_api_probes_ask_the_health_routes() -> None:
    (api,) = [c for c in containers() if c["name"] == "api"]
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert api["command"] == ["rastro", "serve"]


def test_environment_names_are_settings_rastro_reads() -> None:
    fields = {f"RASTRO_{name.upper()}" for name in Settings.model_fields} | {"DATABASE_URL"}
    for container in containers():
        for variable in container.get("env", []):
            assert variable["name"] in fields, variable["name"]


def test_migrate_job_runs_an_existing_command() -> None:
    (job,) = [c for c in containers() if c["name"] == "migrate"]
    commands = {command.name or command.callback.__name__ for command in cli.registered_commands}
    assert job["command"][1] in commands
