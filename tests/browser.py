"""Debian's Chromium driven by Playwright's Python package: no browser download, skipped when absent."""
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium():
    """A headless Chromium (``/usr/bin/chromium``); the calling test skips when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (scripts/test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def another_chromium(browser, env):
    """A second Chromium from *browser*'s Playwright (one Playwright per thread), with environment *env*."""
    other = browser.browser_type.launch(executable_path=str(CHROMIUM), args=ARGS, env=env)
    try:
        yield other
    finally:
        other.close()
