"""Browser fixtures: Debian's Chromium driven by Playwright (no browser download), users of every role."""
import os
from pathlib import Path

import pytest

from ..admin.conftest import PASSWORD, password_hash, users  # noqa: F401 (fixtures shared with the admin tests)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = os.environ.get("HALLPOST_SCREENSHOT") == "1"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; the tests skip when Debian's chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (scripts/test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, server):
    """A function giving a fresh page (own cookies) on the server, optionally logged in as a user."""
    contexts = []

    def _open(username=None, *, width=1366, height=768):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=server,
                                      accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if username is not None:
            page.goto("/admin/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/admin/wall")
        return page

    yield _open
    for context in contexts:
        context.close()
