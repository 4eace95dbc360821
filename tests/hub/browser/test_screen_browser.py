"""The hall's big screen in real headless Chromium: a display account logs in to it and opens nothing else; the
hall's name, date, a running clock and the totals; a window going empty or offline flashes its card and total
and chimes (oscillators counted by an init script); the hub stopped and started again; a redeploy reloads it."""
import re
import threading

import pytest
from werkzeug.serving import make_server

from tests import servers

from ..conftest import DAY, local, report, script
from .conftest import NO_EVENT_SOURCE, PASSWORD, SCREENSHOTS
from .test_admin_browser import DOCS

pytestmark = pytest.mark.browser
HALL = "梅溪湖街道便民服务大厅"
# Counts the notes the page starts (each chime is two oscillators), and plays a browser that blocks sound until
# the page is clicked (headless Chromium lets any page play): an AudioContext starts suspended.
AUDIO = """
window.__notes = 0;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) { window.__notes += 1; return start.apply(this, args); };
const Real = window.AudioContext;
window.AudioContext = class extends Real { constructor(...args) { super(...args); this.suspend(); } };
"""


def log_in_as_display(page):
    """Log *page* in as the display account through the form; it lands on the big screen."""
    page.goto("/admin/login")
    page.fill("input[name=username]", "screen")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/wall?screen=1")
    return page


def totals(page):
    return dict(zip(page.locator("#wall-totals .label").all_inner_texts(),
                    map(int, page.locator("#wall-totals .count").all_inner_texts())))


def font_px(page, selector):
    return page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)")


def test_a_display_sees_the_big_screen_and_is_refused_everything_else(open_page, display):
    page = log_in_as_display(open_page(width=1920, height=1080))
    assert page.locator("#hall-name").inner_text() == HALL
    assert page.locator("#screen-date").inner_text() == "2026年11月24日星期二"
    assert re.fullmatch(r"\d\d:\d\d:\d\d", page.locator("#screen-clock").inner_text())
    assert totals(page) == {"在岗": 0, "空岗": 0, "离线": 8, "等待接岗": 0}
    assert page.locator("header.top, nav, a").count() == 0, "no navigation, no link away from the wall"
    for path in ("/admin/setup", "/admin/attendance", "/admin/export/violations.csv", "/admin/account"):
        assert page.goto(path).status == 403
        assert page.locator("nav").count() == 0
    page.goto("/admin/wall")
    assert page.locator("body.big-screen").count() == 1


def test_the_clock_shows_the_hubs_time_and_runs_on_when_the_hub_is_lost(open_page, display, clock):
    clock.set(local(DAY, "09:59:57"))
    page = open_page()
    page.add_init_script(NO_EVENT_SOURCE)       # the polling wall (the streamed one: test_wall_events_browser)
    page = log_in_as_display(page)
    assert page.locator("#screen-clock").inner_text() in ("09:59:57", "09:59:58")
    page.route("**/admin/wall.json", lambda route: route.abort())
    page.wait_for_selector("#wall.stale")
    page.wait_for_function("() => document.getElementById('screen-clock').textContent >= '10:00:00'")
    assert page.locator("#screen-clock").inner_text().startswith("10:00:")


@pytest.mark.parametrize("width, height, detail", [(1366, 768, 14), (1920, 1080, 20), (3840, 2160, 40)])
def test_the_type_scales_with_the_screen_and_the_wall_fits_it(open_page, display, width, height, detail):
    page = log_in_as_display(open_page(width=width, height=height))
    assert font_px(page, "#win-w01 dd") == pytest.approx(detail, abs=0.5)
    assert font_px(page, "#win-w01 .holder") > 2 * detail and font_px(page, "#screen-clock") > 3 * detail
    fits = "[document.documentElement.scrollWidth <= innerWidth, document.documentElement.scrollHeight <= innerHeight]"
    assert page.evaluate(fits) == [True, True], "the eight windows on one screen, no scrolling"


def test_a_window_going_empty_or_offline_flashes_and_chimes(open_page, terminal, clock, display):
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "09:00")
    page = open_page(width=1920, height=1080)
    page.add_init_script(AUDIO)
    log_in_as_display(page)
    page.wait_for_selector("#win-w03[data-state=A]")
    assert totals(page) == {"在岗": 1, "空岗": 0, "离线": 7, "等待接岗": 0}
    assert page.locator("#sound-hint").inner_text() == "点击开启提示音"
    page.locator("#sound-hint").click()
    page.wait_for_selector("#sound-hint", state="hidden")

    day.handover("09:03", "A", reason="meeting")
    report(terminal, clock, day, "09:05")
    page.wait_for_selector("#win-w03.flash[data-state=empty]")
    page.wait_for_selector("#wall-totals [data-total=empty].flash")
    assert totals(page) == {"在岗": 0, "空岗": 1, "离线": 7, "等待接岗": 1}
    page.wait_for_function("() => window.__notes === 2")
    if SCREENSHOTS:
        page.screenshot(path=str(DOCS / "big-screen-1920.png"))
        page.set_viewport_size({"width": 1366, "height": 768})
        page.screenshot(path=str(DOCS / "big-screen-1366.png"))

    clock.set(local(DAY, "09:20"))
    page.wait_for_selector("#win-w03.flash[data-state=unknown]")
    page.wait_for_selector("#wall-totals [data-total=unknown].flash")
    assert totals(page) == {"在岗": 0, "空岗": 0, "离线": 8, "等待接岗": 0}
    page.wait_for_function("() => window.__notes === 4")


def test_no_chime_before_the_page_was_clicked_but_the_flash(open_page, terminal, clock, display):
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "09:00")
    page = open_page()
    page.add_init_script(AUDIO)
    log_in_as_display(page)
    page.wait_for_selector("#win-w03[data-state=A]")
    day.handover("09:03", "A", reason="meeting")
    report(terminal, clock, day, "09:05")
    page.wait_for_selector("#win-w03.flash")
    assert page.evaluate("window.__notes") == 0 and page.locator("#sound-hint").is_visible()


class Hub:
    """The test's hub served on one port of 127.0.0.1 that can be stopped and served again."""

    def __init__(self, app):
        self.app, self.port, self.server = app, servers.free_port(), None

    def start(self):
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub(app):
    served = Hub(app)
    served.start()
    yield served
    served.stop()


def test_the_screen_says_the_connection_is_lost_and_recovers_without_reload(browser, hub, display):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=f"http://127.0.0.1:{hub.port}")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.add_init_script(NO_EVENT_SOURCE)
        log_in_as_display(page)
        page.evaluate("""window.__retries = []; window.__kept = true;
            document.addEventListener('wall:lost', e => window.__retries.push(e.detail.retry_ms));""")
        hub.stop()
        page.wait_for_selector("#wall.stale")
        assert page.locator("#wall-updated").inner_text().startswith("连接中断")
        page.wait_for_function("() => window.__retries.length >= 2")
        assert page.evaluate("window.__retries.slice(0, 2)") == [2000, 4000], "it waits longer each time"
        hub.start()
        page.wait_for_selector("#wall:not(.stale)")
        assert page.evaluate("window.__kept") is True, "recovered in place, not reloaded"
    finally:
        context.close()


def test_a_redeploy_reloads_the_screen_at_most_once_in_five_minutes(app, open_page, display):
    page = open_page()
    page.add_init_script(NO_EVENT_SOURCE)
    page = log_in_as_display(page)
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    app.config["WALL_RELEASE"] = "redeployed"
    page.wait_for_selector("#wall[data-release=redeployed]")
    assert len(loads) == 1
    app.config["WALL_RELEASE"] = "again"
    for _ in range(3):
        with page.expect_response("**/admin/wall.json"):
            pass
    assert len(loads) == 1 and page.locator("#wall").get_attribute("data-release") == "redeployed"
    page.evaluate("sessionStorage.setItem('hallpost-wall-reloaded', String(Date.now() - 5 * 60 * 1000 - 1))")
    page.wait_for_selector("#wall[data-release=again]")
    assert len(loads) == 2
