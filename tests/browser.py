"""A real browser for tests: Debian's headless Chromium driven by Playwright, held to 127.0.0.1.

.ci/run installs Debian's `chromium`; Playwright (PyPI) drives it through `executable_path`, so no
browser is downloaded. Every request to another host is aborted and recorded, and the test can assert
there were none; console messages are kept too (Content-Security-Policy violations show up there).
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page, Route, sync_playwright

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


@dataclass
class Browsing:
    page: Page
    blocked: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


def chromium_path() -> str:
    path = shutil.which("chromium")
    assert path is not None, "Debian's chromium is needed: apt-get install chromium"
    return path


@contextmanager
def browser(width: int = 1400, height: int = 900) -> Iterator[Browsing]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            # Belt and braces: names other than the loopback ones do not even resolve.
            args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"],
        )
        try:
            context = chromium.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            browsing = Browsing(page)

            def keep_local(route: Route) -> None:
                url = route.request.url
                if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
                    route.continue_()
                else:
                    browsing.blocked.append(url)
                    route.abort()

            def note(message: ConsoleMessage) -> None:
                browsing.console.append(f"{message.type}: {message.text}")

            context.route("**/*", keep_local)
            page.on("console", note)
            yield browsing
        finally:
            chromium.close()
