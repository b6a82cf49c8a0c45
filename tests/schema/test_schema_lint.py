"""graphql-schema-linter (pinned in tests/node) finds nothing in the committed SDL: every type, field,
argument, enum value and input field is described, and the naming and Relay rules hold. Only the
alphabetical-order rules stay off: the SDL keeps the order a reader follows."""

import json
import shutil
import subprocess

from schema.schema import SDL_PATH
from tests.node_clients import NODE_DIR

RULES = (
    "types-have-descriptions",
    "fields-have-descriptions",
    "arguments-have-descriptions",
    "enum-values-have-descriptions",
    "input-object-values-have-descriptions",
    "descriptions-are-capitalized",
    "deprecations-have-a-reason",
    "defined-types-are-used",
    "types-are-capitalized",
    "fields-are-camel-cased",
    "input-object-values-are-camel-cased",
    "enum-values-all-caps",
    "relay-connection-types-spec",
    "relay-connection-arguments-spec",
    "relay-page-info-spec",
)


def lint(*source: str, sdl: str | None = None) -> list[dict[str, object]]:
    node = shutil.which("node")
    assert node is not None, "Node.js is needed: apt-get install nodejs"
    cli = NODE_DIR / "node_modules" / "graphql-schema-linter" / "lib" / "cli.js"
    assert cli.is_file(), "Install the Node clients: npm ci --prefix tests/node"
    done = subprocess.run(
        [node, str(cli), "--format", "json", "--rules", ",".join(RULES), *source],
        input=sdl,
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors: list[dict[str, object]] = json.loads(done.stdout)["errors"]
    assert (done.returncode == 0) == (not errors), done.stderr
    return errors


def test_the_committed_schema_has_no_finding() -> None:
    findings = [f"{error['rule']}: {error['message']}" for error in lint(str(SDL_PATH))]
    assert findings == []


def test_the_linter_reports_what_it_is_asked_to() -> None:
    sdl = '"""Entry points."""\ntype Query { total(first: Int): Int }\nenum Color { red }\n'
    rules = {error["rule"] for error in lint("--stdin", sdl=sdl)}
    assert rules == {
        "fields-have-descriptions",
        "arguments-have-descriptions",
        "types-have-descriptions",
        "enum-values-have-descriptions",
        "enum-values-all-caps",
        "defined-types-are-used",
        "relay-page-info-spec",
    }
