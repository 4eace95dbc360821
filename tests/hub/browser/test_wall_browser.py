"""The live wall's cards and its wide screen in real headless Chromium: since when a window is empty, the clerk
awaited, the last holder of an offline window, a colour of its own per state, a legend in the cards' words,
a wall that says when the hub is lost, and the hall's name on a screen that uses its width."""
import pytest

from ..conftest import DAY, local, report, script
from .conftest import NO_EVENT_SOURCE, log_in

pytestmark = pytest.mark.browser
HALL = "梅溪湖街道便民服务大厅"


def text(page, window, field):
    return page.locator(f"#win-{window} [data-field={field}]").inner_text()


def border(page, selector):
    return page.eval_on_selector(selector, "el => getComputedStyle(el).borderLeftColor")


def test_an_empty_window_says_since_when_and_names_the_clerk_awaited(open_page, terminal, clock, users):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.handover("09:00", "A", reason="meeting")
    report(terminal, clock, day, "09:12:05")
    page = open_page("office")
    page.wait_for_selector("#win-w03[data-state=empty]")
    assert text(page, "w03", "empty") == "09:00:00起，已12分钟"
    assert text(page, "w03", "waiting") == "等待B岗接岗：杨帆"
    assert text(page, "w03", "holder") == page.locator("#wall-legend .state-empty").inner_text() == "空岗"
    assert text(page, "w01", "keypad") == "—"


def test_an_offline_card_names_who_last_held_the_window(open_page, terminal, clock, users):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.add("08:20:30", "keypad", attached=True, firmware="1.0")
    report(terminal, clock, day, "08:25")
    page = open_page("office")
    page.wait_for_selector("#win-w03[data-state=A]")
    assert text(page, "w03", "keypad") == "已连接"
    clock.set(local(DAY, "08:40"))
    page.wait_for_selector("#win-w03[data-state=unknown]")
    assert text(page, "w03", "offline") == "08:25:00起离线；离线前在岗：A岗 陈静"


def test_out_of_hours_and_unknown_look_different_and_the_legend_matches(open_page, terminal, clock, users):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.presence("12:01", "A", False)
    report(terminal, clock, day, "12:30")
    page = open_page("office")
    page.wait_for_selector("#win-w03[data-state=closed]")
    closed, unknown = border(page, "#win-w03"), border(page, "#win-w01")
    assert closed != unknown
    assert border(page, "#wall-legend .state-closed") == closed and border(page, "#wall-legend .state-unknown") == unknown
    legend = page.locator("#wall-legend li").all_inner_texts()
    assert legend == ["A岗", "B岗", "空岗", "非工作时段", "未知"]
    assert text(page, "w03", "holder") in legend and text(page, "w01", "holder") in legend


def test_the_wall_says_so_when_the_hub_does_not_answer_and_recovers(open_page, terminal, clock, users):
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "08:25")
    page = open_page()
    page.add_init_script(NO_EVENT_SOURCE)       # the polling wall; the streamed one: test_wall_events_browser
    page = log_in(page, "office")
    page.wait_for_selector("#win-w03[data-state=A]")
    page.route("**/admin/wall.json", lambda route: route.abort())
    page.wait_for_selector("#wall.stale")
    assert page.locator("#wall-updated").inner_text().startswith("连接中断")
    assert page.eval_on_selector("#win-w03", "el => getComputedStyle(el).filter") == "grayscale(1)", \
        "a held window no longer shows green"
    page.unroute("**/admin/wall.json")
    page.wait_for_selector("#wall:not(.stale)")


def test_the_wide_screen_uses_its_width_and_shows_the_halls_name(open_page, users):
    page = open_page("office", width=1920, height=1080)
    assert page.locator("#hall-name").inner_text() == HALL
    assert page.eval_on_selector("#wall", "el => el.getBoundingClientRect().width") > 1800
    size = page.eval_on_selector("#win-w01 dd", "el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 17, f"detail text readable across the hall ({size}px)"
    assert page.locator("header.top nav").is_visible()
    page.click("#wall-screen")
    page.wait_for_url("**/admin/wall?screen=1")
    assert page.locator("header.top").count() == 0 and page.locator("#hall-name").inner_text() == HALL


def test_the_login_page_names_the_hall(open_page):
    page = open_page()
    page.goto("/admin/login")
    assert page.locator("#login-hall").inner_text() == HALL


def test_a_late_last_sync_is_marked_on_the_card(open_page, terminal, clock, users):
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "08:25")
    page = open_page("office")
    page.wait_for_selector("#win-w03[data-state=A]")
    assert page.locator("#win-w03 [data-field=last_sync]").get_attribute("class") == ""
    clock.set(local(DAY, "08:27"))
    page.wait_for_selector("#win-w03 [data-field=last_sync].late")
    assert text(page, "w03", "last_sync") == "08:25:00（2分钟前）"


def test_a_window_added_in_setup_appears_on_an_open_wall(open_page, users):
    wall = open_page("office")
    assert wall.locator("#win-w09").count() == 0
    setup = open_page("office")
    setup.goto("/admin/setup")
    for clerk, name in (("c17", "林晓"), ("c18", "何平")):
        setup.locator("#add-clerk input[name=id]").fill(clerk)
        setup.locator("#add-clerk input[name=name]").fill(name)
        setup.locator("#add-clerk button[type=submit]").click()
        setup.wait_for_selector(f"#setup-clerks input[value={name}]")
    form = setup.locator("#add-window")
    form.locator("input[name=id]").fill("w09")
    form.locator("input[name=name]").fill("9号窗口 税务")
    form.locator("input[name=terminal]").fill("win-09")
    form.locator("select[name=a]").select_option("c17")
    form.locator("select[name=b]").select_option("c18")
    form.locator("button[type=submit]").click()
    setup.wait_for_selector(".flash")
    wall.wait_for_selector("#win-w09[data-state=unknown]")
    assert "9号窗口 税务" in wall.locator("#win-w09").inner_text()
