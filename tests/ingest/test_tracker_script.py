"""GET /t.js in a real headless chromium: a landing page served on loopback loads it with UTMs and a gclid,
a visitor clicks, navigates (History API) and submits a form; the rows land in PostgreSQL."""

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.browser import chromium_path
from tests.conftest import KeyMaker
from tests.ingest.tracking import Site, make_domain
from tests.live import LiveServer, free_port
from tests.sql import execute, fetch

HOST = "loja.test"  # chromium resolves it to 127.0.0.1 (--host-resolver-rules)

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<script src="{rastro}/t.js" data-key="{key}" defer></script></head><body>
<h1>{title}</h1>
<button id="buy" onclick="rastro.track('click', {{label: 'Comprar', elementId: 'buy', price: 497}})">Comprar</button>
<button id="spa" onclick="history.pushState({{}}, '', '/precos')">Preços</button>
<form id="contato" action="/obrigado" method="get">
  <input name="nome" value=""><input type="email" name="email"><input type="tel" name="whatsapp">
  <label><input type="checkbox" name="consentimento"> Aceito</label><button type="submit">Enviar</button>
</form>
<script>document.addEventListener('DOMContentLoaded', function () {{
  rastro.lead(document.getElementById('contato'));
}});</script>
</body></html>"""


@contextmanager
def landing_site(rastro: str, key: str) -> Iterator[int]:
    """The marketer's pages, on their own origin, with the 5-line snippet."""

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            title = "Obrigado" if self.path.startswith("/obrigado") else "Oferta"
            body = PAGE.format(title=title, rastro=rastro, key=key).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def count_in_thread(url: str, table: str) -> int:
    """Rows of a table, read from another thread: Playwright's sync API holds this thread's event loop."""
    with ThreadPoolExecutor(1) as pool:
        return len(pool.submit(fetch, url, f"SELECT 1 FROM {table}").result())


def wait_for(check: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the rows did not arrive"
        time.sleep(0.1)


def test_the_script_is_small_and_served_as_javascript(server: LiveServer) -> None:
    with server.client() as client:
        response = client.get("/t.js", headers={"Accept-Encoding": "gzip"})
        cached = client.get("/t.js", headers={"If-None-Match": response.headers["etag"]})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["content-encoding"] == "gzip"
    assert len(gzip.compress(response.content, 9)) < 4096
    assert b"sendBeacon" in response.content and b"keepalive" in response.content
    assert cached.status_code == 304


def test_a_visitor_in_chromium_leaves_the_whole_journey(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    from playwright.sync_api import sync_playwright

    site: Site = make_domain(db_url, HOST)
    key = make_key("ingest")
    execute(db_url, "UPDATE api_keys SET domain_id = $1", site.domain_id)
    with landing_site(server.base_url, key) as port:
        origin = f"http://{HOST}:{port}"
        execute(db_url, "UPDATE domains SET allowed_origins = $1", [origin])
        args = [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update",
            f"--host-resolver-rules=MAP {HOST} 127.0.0.1",
        ]  # fmt: skip
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=args)
            try:
                page = browser.new_page()
                page.goto(
                    f"{origin}/oferta?utm_source=google&utm_medium=cpc&utm_campaign=bf&gclid=EAIaIQ-test"
                )
                wait_for(lambda: count_in_thread(db_url, "page_views") == 1)
                page.click("#buy")
                page.click("#spa")
                wait_for(lambda: count_in_thread(db_url, "page_views") == 2)
                page.fill("input[name=nome]", "Ana Souza")
                page.fill("input[name=email]", "Ana@Empresa.com.br")
                page.fill("input[name=whatsapp]", "(11) 98765-4321")
                page.check("input[name=consentimento]")
                with page.expect_navigation():
                    page.click("button[type=submit]")
                wait_for(lambda: count_in_thread(db_url, "leads") == 1)
                wait_for(lambda: count_in_thread(db_url, "page_views") == 3)
                first_touch = page.evaluate("rastro.firstTouch()")
                visitor = page.evaluate("rastro.visitorId()")
            finally:
                browser.close()

    (session,) = fetch(db_url, "SELECT * FROM sessions")
    assert session["visitor_id"] == visitor and session["total_page_views"] == 3
    (capture,) = fetch(db_url, "SELECT * FROM utm_tracking")
    assert (capture["utm_source"], capture["utm_campaign"], capture["gclid"]) == (
        "google",
        "bf",
        "EAIaIQ-test",
    )
    assert "HeadlessChrome" in capture["user_agent"] and str(capture["client_ip"]) == "127.0.0.1"
    views = fetch(
        db_url, "SELECT p.page_url FROM page_views v JOIN landing_pages p USING (page_id) ORDER BY view_order"
    )
    assert [v["page_url"] for v in views] == ["/oferta", "/precos", "/obrigado"]
    (event,) = fetch(db_url, "SELECT * FROM events")
    assert (event["event_type"], event["event_label"], event["element_id"]) == ("click", "Comprar", "buy")
    assert event["event_data"] == '{"price": 497}'
    (lead,) = fetch(db_url, "SELECT * FROM leads")
    assert (lead["email"], lead["phone"], lead["name"]) == (
        "ana@empresa.com.br",
        "+5511987654321",
        "Ana Souza",
    )
    assert lead["utm_tracking_id"] == capture["tracking_id"] and lead["session_id"] == session["session_id"]
    assert '"adPlatforms": true' in lead["metadata"]
    assert first_touch["gclid"] == "EAIaIQ-test" and first_touch["utmCampaign"] == "bf"
