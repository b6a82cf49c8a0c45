"""Copy GraphiQL's browser files from the npm release into server/static/graphiql, with their hashes.

Run after changing the versions of graphiql/react/react-dom in tests/node/package.json:

    npm ci --prefix tests/node && python tools/vendor_graphiql.py

npm checks each package's tarball against package-lock.json's sha512 as it installs it; this script
copies the files as they are and records each one's SHA-384 (the browser checks it: Subresource
Integrity) in manifest.json. tests/server/test_graphiql.py fails when the copies and the release differ.
"""

import base64
import hashlib
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "tests" / "node" / "node_modules"
TARGET = ROOT / "server" / "static" / "graphiql" / "vendor"
# (package, file inside the package), in the order the page loads them.
FILES = [
    ("react", "umd/react.production.min.js"),
    ("react-dom", "umd/react-dom.production.min.js"),
    ("graphiql", "graphiql.min.js"),
    ("graphiql", "graphiql.min.css"),
]


def integrity(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def main() -> None:
    shutil.rmtree(TARGET, ignore_errors=True)
    assets = []
    for package, path in FILES:
        version = json.loads((NODE_MODULES / package / "package.json").read_text())["version"]
        source = NODE_MODULES / package / path
        target = TARGET / f"{package}@{version}" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        assets.append(
            {
                "package": package,
                "version": version,
                "path": path,
                "integrity": integrity(source.read_bytes()),
            }
        )
    manifest = {"assets": assets}
    (TARGET / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
