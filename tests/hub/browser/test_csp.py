"""The admin pages work under the Content-Security-Policy: no violation on any page, inline script blocked.

Playwright's ``wait_for_function`` polls by evaluating a string, which the policy forbids ('unsafe-eval'):
wait for selectors or console messages instead.
"""
import pytest

from ..admin.test_security_headers import ADMIN_PAGES
from ..conftest import DAY, local, script

pytestmark = pytest.mark.browser
WATCH = ("window.__violations = [];"
         "document.addEventListener('securitypolicyviolation',"
         " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")


def watched(page):
    """Record *page*'s CSP violations (window.__violations) and console errors (returned list)."""
    page.context.add_init_script(WATCH)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_every_admin_page_renders_without_a_csp_violation(open_page, users):
    page = open_page("office")
    errors = watched(page)
    for path in ["/admin/login", *(p for p in ADMIN_PAGES if not p.endswith((".json", ".csv")))]:
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__violations") == [], path
    assert errors == []


def test_the_live_wall_script_runs_under_the_policy(open_page, enrol, clock, users):
    clock.set(local(DAY, "09:05"))
    w03 = enrol("w03")
    page = open_page("office")
    errors = watched(page)
    page.goto("/admin/wall")
    day = script("win-03")
    day.presence("08:20", "A", True)
    w03.push(day.facts)
    page.wait_for_selector("#win-w03[data-state=A]")        # wall.js fetched wall.json and redrew the card
    assert page.evaluate("window.__violations") == [] and errors == []


def test_an_injected_inline_script_is_blocked(open_page, users):
    page = open_page("office")
    watched(page)
    page.goto("/admin/wall")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("""() => { const s = document.createElement('script');
                                  s.textContent = 'window.__ran = true;'; document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran === undefined")
    assert page.evaluate("window.__violations")[0].startswith("script-src")
