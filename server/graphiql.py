"""GraphiQL served by Rastro: the page, its pinned npm files (or a CDN), a strict Content-Security-Policy."""

import json
from functools import cache
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from schema.graphiql import DEFAULT_TABS

STATIC = Path(__file__).parent / "static" / "graphiql"
VENDOR = STATIC / "vendor"
PATH = "/graphiql/"
ASSETS = "/graphiql/assets"


def manifest() -> list[dict[str, str]]:
    assets: list[dict[str, str]] = json.loads((VENDOR / "manifest.json").read_text())["assets"]
    return assets


def asset_url(asset: dict[str, str], cdn: str | None) -> str:
    base = f"{cdn.rstrip('/')}" if cdn else f"{ASSETS}/vendor"
    return f"{base}/{asset['package']}@{asset['version']}/{asset['path']}"


def content_security_policy(cdn: str | None) -> str:
    origin = "" if cdn is None else " " + origin_of(cdn)
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self'{origin}",
            f"style-src 'self'{origin}",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def origin_of(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


@cache
def page(cdn: str | None) -> str:
    tags = []
    for asset in manifest():
        url = escape(asset_url(asset, cdn))
        sri = f'integrity="{asset["integrity"]}" crossorigin="anonymous"'
        if asset["path"].endswith(".css"):
            tags.append(f'<link rel="stylesheet" href="{url}" {sri}>')
        else:
            tags.append(f'<script src="{url}" {sri}></script>')
    config = json.dumps({"url": "/graphql", "tabs": [{"query": query} for query in DEFAULT_TABS]})
    # "</" cannot end the JSON block early: JSON allows "\/" for "/".
    config = config.replace("</", "<\\/")
    styles = "\n    ".join(tag for tag in tags if tag.startswith("<link"))
    scripts = "\n    ".join(tag for tag in tags if tag.startswith("<script"))
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Rastro · GraphiQL</title>
    <link rel="icon" href="data:,">
    {styles}
    <link rel="stylesheet" href="{ASSETS}/rastro-graphiql.css">
  </head>
  <body>
    <header id="rastro-key-bar">
      <strong>Rastro</strong>
      <label for="rastro-key">API key</label>
      <input id="rastro-key" type="password" autocomplete="off" spellcheck="false" placeholder="rst_…">
      <span id="rastro-key-hint">Paste a key from <code>rastro keys create --role analyst</code>:
        it is sent as <code>Authorization: Bearer …</code> and kept in this browser session only.</span>
    </header>
    <div id="graphiql">Loading GraphiQL…</div>
    <script id="rastro-graphiql-config" type="application/json">{config}</script>
    {scripts}
    <script src="{ASSETS}/rastro-graphiql.js"></script>
  </body>
</html>
"""


def graphiql_routes(cdn: str | None) -> list[BaseRoute]:
    headers = {
        "Content-Security-Policy": content_security_policy(cdn),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }

    async def graphiql_page(_request: Request) -> Response:
        return HTMLResponse(page(cdn), headers=headers)

    async def to_page(_request: Request) -> Response:
        return RedirectResponse(PATH)

    return [
        Route(PATH, graphiql_page),
        Route(PATH.rstrip("/"), to_page),
        Mount(ASSETS, StaticFiles(directory=STATIC), name="graphiql-assets"),
    ]
