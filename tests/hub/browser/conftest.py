"""Browser fixtures: Debian's Chromium driven by Playwright (no browser download), users of every role."""
import os

import pytest

from tests.browser import chromium

from ..admin.conftest import PASSWORD, display, password_hash, users  # noqa: F401 (fixtures shared with the admin tests)

SCREENSHOTS = os.environ.get("HALLPOST_SCREENSHOT") == "1"
# A browser without server-sent events (or behind a proxy that holds them back): the wall polls wall.json.
NO_EVENT_SOURCE = "delete window.EventSource;"


def log_in(page, username):
    """Log *page* in as *username* through the form; it lands on the live wall."""
    page.goto("/admin/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/wall")
    return page


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; the tests skip when Debian's chromium is not installed."""
    with chromium() as launched:
        yield launched


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
        return page if username is None else log_in(page, username)

    yield _open
    for context in contexts:
        context.close()
