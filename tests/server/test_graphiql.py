"""GraphiQL served by Rastro: pinned npm files, a strict CSP, and a real browser that uses it offline."""

import base64
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from graphql import parse, validate
from playwright.sync_api import Page, expect

from schema.graphiql import DEFAULT_TABS
from schema.schema import schema
from server.graphiql import VENDOR, manifest
from tests.browser import browser
from tests.conftest import key_maker
from tests.live import LiveServer, live_server
from tests.node_clients import NODE_DIR

ROOT = Path(__file__).parents[2]
SCREENSHOT = ROOT / "docs" / "images" / "graphiql.png"


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def attributes(tag: str) -> dict[str, str]:
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))


def test_the_page_loads_only_its_own_pinned_files_under_a_strict_policy(server: LiveServer) -> None:
    with server.client() as client:
        page = client.get("/graphiql/")
        redirect = client.get("/graphql", headers={"Accept": "text/html"})
        found = [attributes(tag) for tag in re.findall(r"<(?:script|link)\b[^>]*>", page.text)]
        tags = [(a.get("src") or a.get("href"), a.get("integrity")) for a in found if a.get("rel") != "icon"]
        tags = [(url, integrity) for url, integrity in tags if url]
        served = {url: client.get(url) for url, _ in tags}
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "default-src 'none'" in policy and "unsafe" not in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert redirect.status_code == 307 and redirect.headers["location"] == "/graphiql/"
    assert all(url.startswith("/graphiql/assets/") for url, _ in tags), tags
    pinned = [(url, integrity) for url, integrity in tags if integrity]
    assert len(pinned) == len(manifest()) == 4
    for url, integrity in pinned:
        assert served[url].status_code == 200
        assert sri(served[url].content) == integrity, url


def test_the_copies_are_the_npm_release_at_the_pinned_versions() -> None:
    pins = json.loads((NODE_DIR / "package.json").read_text())["dependencies"]
    for asset in manifest():
        assert asset["version"] == pins[asset["package"]], asset
        copy = (VENDOR / f"{asset['package']}@{asset['version']}" / asset["path"]).read_bytes()
        # npm checked this file's tarball against package-lock.json's sha512 when it installed it.
        release = (NODE_DIR / "node_modules" / asset["package"] / asset["path"]).read_bytes()
        assert copy == release, asset
        assert sri(copy) == asset["integrity"], asset


def test_a_setting_loads_the_same_files_from_a_cdn(db_url: str) -> None:
    with live_server(db_url, graphiql_cdn="https://unpkg.com") as live, live.client() as client:
        page = client.get("/graphiql/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self' https://unpkg.com;" in policy
    for asset in manifest():
        url = f"https://unpkg.com/{asset['package']}@{asset['version']}/{asset['path']}"
        assert f'"{url}" integrity="{asset["integrity"]}"' in page.text


def test_graphiql_can_be_turned_off(db_url: str) -> None:
    with live_server(db_url, graphiql=False) as live, live.client() as client:
        assert client.get("/graphiql/").status_code == 404
        assert client.get("/graphql", headers={"Accept": "text/html"}).status_code == 404


def test_the_default_tabs_are_valid_operations() -> None:
    names = []
    for query in DEFAULT_TABS:
        document = parse(query)
        assert validate(schema._schema, document) == [], query
        names.extend(
            d.name.value for d in document.definitions if d.name and d.kind == "operation_definition"
        )
    assert names[0] == "Journey"
    assert "ChannelRoi" in names and len(names) >= 5


def test_in_a_browser_offline_the_key_runs_the_journey_and_survives_a_reload(
    large_server: tuple[LiveServer, str], tmp_path: Path
) -> None:
    # The larger demo data holds the journey's domain, meusite.com.br.
    seeded_server, url = large_server
    key = key_maker(url)("analyst")
    introspections: list[str | None] = []
    with browser() as browsing:
        page = browsing.page
        page.on(
            "request",
            lambda r: (
                introspections.append(r.headers.get("authorization"))
                if r.method == "POST" and "IntrospectionQuery" in (r.post_data or "")
                else None
            ),
        )
        page.goto(f"{seeded_server.base_url}/graphiql/")
        page.wait_for_selector(".graphiql-container")
        # The schema is public: GraphiQL fetches it before a key is given.
        page.wait_for_timeout(500)
        assert introspections[:1] == [None]
        page.fill("#rastro-key", key)
        page.wait_for_timeout(900)  # the field applies the key 600 ms after the last keystroke
        assert f"Bearer {key}" in introspections, "the schema was not fetched again with the key"
        run_journey(page)
        shoot(page, tmp_path)
        # Headers typed into GraphiQL's own editor count too: the schema is fetched with them.
        seen = len(introspections)
        page.get_by_text("Headers", exact=True).click()
        page.locator(".graphiql-editor-tool .CodeMirror").last.click()
        page.keyboard.type('{"X-Client": "browser test"}')
        page.wait_for_timeout(900)
        assert len(introspections) > seen, "the schema was not fetched again after the headers changed"

        page.reload()
        page.wait_for_selector(".graphiql-container")
        assert page.input_value("#rastro-key") == key
        assert page.evaluate("() => window.localStorage.length") == 0, "nothing goes to local storage"
        tabs = page.locator(".graphiql-tab").count()
        assert tabs == len(DEFAULT_TABS), "a reload must not open tabs of its own"
        run_journey(page)
    assert browsing.blocked == []
    assert not [m for m in browsing.console if "Content Security Policy" in m or m.startswith("error")], (
        browsing.console
    )


def run_journey(page: Page) -> None:
    page.locator(".graphiql-tab").first.click()
    page.locator(".graphiql-execute-button").click()
    result = page.locator(".result-window")
    expect(result).to_contain_text('"domainName": "meusite.com.br"', timeout=30_000)
    expect(result).to_contain_text('"landingPages"')
    assert '"errors"' not in result.inner_text()


def shoot(page: Page, tmp_path: Path) -> None:
    shot = tmp_path / "graphiql.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("RASTRO_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
