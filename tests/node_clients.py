"""Run the JavaScript clients of tests/node (installed by `npm ci --prefix tests/node`, as .ci/run does)."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).parent / "node"


def run_node(script: str, *args: str, timeout: float = 120) -> list[dict[str, Any]]:
    """Run tests/node/<script> with `args`; its stdout is JSON lines, returned parsed."""
    node = shutil.which("node")
    assert node is not None, "Node.js is needed: apt-get install nodejs"
    assert (NODE_DIR / "node_modules").is_dir(), "Install the Node clients: npm ci --prefix tests/node"
    done = subprocess.run(
        [node, str(NODE_DIR / script), *args], cwd=NODE_DIR, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
