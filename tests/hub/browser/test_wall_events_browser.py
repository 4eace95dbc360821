"""The wall pushed by server-sent events in real headless Chromium: a fact pushed over HTTP changes the card
without a reload and without one request for wall.json; a browser without EventSource still follows by
polling; the center wall follows too; the alerts the hub sends are listed on the big screen, and a new one
flashes and chimes."""
import pytest

import hub.admin.wall as wall_views

from ..conftest import DAY, local, report, script
from .conftest import NO_EVENT_SOURCE, log_in
from .test_screen_browser import AUDIO, log_in_as_display

pytestmark = pytest.mark.browser


def requests_to(page):
    """The paths the page asks the hub for from now on (a list that grows)."""
    asked = []
    page.on("request", lambda request: asked.append(request.url.split("/", 3)[3].split("?")[0]))
    return asked


def test_a_pushed_fact_changes_the_card_without_reload_or_polling(open_page, terminal, clock, users):
    clock.set(local(DAY, "08:25"))
    page = open_page("office")
    page.wait_for_selector("#win-w03[data-state=unknown]")
    asked = requests_to(page)
    page.evaluate("window.__kept = true")
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "08:25")
    page.wait_for_selector("#win-w03[data-state=A]")
    assert page.locator("#win-w03 [data-field=holder]").inner_text() == "A岗 · 陈静"
    assert page.evaluate("window.__kept") is True, "changed in place, not reloaded"
    assert "admin/wall.json" not in asked, "no polling while the events stream"
    page.close()


def test_without_event_source_the_wall_follows_by_polling(open_page, terminal, clock, users):
    clock.set(local(DAY, "08:25"))
    page = open_page()
    page.add_init_script(NO_EVENT_SOURCE)
    asked = requests_to(page)
    log_in(page, "office")
    page.wait_for_selector("#win-w03[data-state=unknown]")
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "08:25")
    page.wait_for_selector("#win-w03[data-state=A]")
    assert "admin/wall.json" in asked and "admin/wall/events" not in asked
    page.close()


def test_the_center_wall_follows_a_pushed_fact(open_page, terminal, clock, users):
    clock.set(local(DAY, "08:25"))
    page = open_page("office")
    page.goto("/admin/center")
    page.evaluate("window.__kept = true")
    assert page.locator("#hall-hall [data-field=held]").inner_text() == "0"
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "08:25")
    page.wait_for_selector("#hall-hall [data-field=held]:text-is('1')")
    assert page.evaluate("window.__kept") is True, "changed in place, not reloaded"
    page.close()


@pytest.fixture
def alerts(monkeypatch):
    """The open alerts the wall's data lists (the alert rules' part of the wall), set by the test."""
    listed = []
    answer = wall_views._answer
    monkeypatch.setattr(wall_views, "_answer", lambda *args: dict(answer(*args), alerts=list(listed)))
    return listed


def test_a_new_alert_is_listed_on_the_big_screen_and_chimes(open_page, display, clock, alerts):
    page = open_page(width=1920, height=1080)
    page.add_init_script(AUDIO)
    log_in_as_display(page)
    page.locator("#sound-hint").click()
    page.wait_for_selector("#sound-hint", state="hidden")
    assert page.locator("#wall-alerts").is_hidden()
    alerts.append({"kind": "handover_waiting", "window": "w03", "summary": "3号窗口：交接等待B岗超过2分钟",
                   "started_at": "2026-11-24T01:00:00+00:00", "link": "/admin/handovers"})
    item = page.wait_for_selector("#wall-alerts li.alert-handover_waiting.flash")
    assert item.inner_text() == "09:00 3号窗口：交接等待B岗超过2分钟"
    assert item.query_selector("a").get_attribute("href") == "/admin/handovers"
    page.wait_for_function("() => window.__notes === 2")
    alerts.clear()
    page.wait_for_selector("#wall-alerts", state="hidden")
    assert page.evaluate("window.__notes") == 2, "an alert resolved does not chime"
    page.close()
