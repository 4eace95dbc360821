"""Staff management in real headless Chromium: 调离 a clerk from tomorrow, a clerk added without an id, a namesake
confirmed; screenshots of setup at 1366×768, 1920×1080 and on a phone."""
from datetime import timedelta

import pytest

from ..conftest import DAY, local
from .conftest import SCREENSHOTS
from .test_admin_browser import DOCS

pytestmark = pytest.mark.browser
TOMORROW = DAY + timedelta(days=1)


def test_a_clerk_transferred_from_tomorrow_keeps_their_history_and_leaves_the_windows(open_page, users, clock,
                                                                                        store):
    page = open_page("office")
    page.goto("/admin/setup")
    row = page.locator("#setup-clerks tr[data-clerk='c02']")
    row.locator("input[name=left]").fill(TOMORROW.isoformat())
    row.locator("form.staff-date button").click()
    page.wait_for_selector("#setup-clerks tr[data-clerk='c02'] .tag.bad")
    assert store.configs.hall().clerks["c02"].left == TOMORROW
    warning = page.locator(".staff-warning[data-window='w01']")
    assert warning.inner_text() == f"B岗：李娜 已于 {TOMORROW.isoformat()} 调离，请另选工作人员"
    page.goto("/admin/attendance/register?month=2026-10")
    assert "李娜" in page.locator("#register tr[data-clerk='c02']").inner_text()     # last month keeps the name
    clock.set(local(TOMORROW + timedelta(days=1), "07:30"))       # after the date: log in again (sessions follow it)
    page = open_page("office")
    page.goto("/admin/setup")
    add_a = page.locator("#add-window select[name=a] option")
    assert "c02" not in add_a.evaluate_all("options => options.map(o => o.value)")
    assert "c03" in add_a.evaluate_all("options => options.map(o => o.value)")
    assert page.locator(".staff-warning[data-window='w01']").count() == 1


def test_a_clerk_added_without_an_id_gets_the_next_one_and_a_namesake_asks_first(open_page, users, store):
    page = open_page("office")
    page.goto("/admin/setup")
    form = page.locator("#add-clerk")
    form.locator("input[name=name]").fill("林晓")
    form.locator("select[name=department]").select_option("社保")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#setup-clerks tr[data-clerk='c17']")
    assert store.configs.hall().clerks["c17"].name == "林晓"
    form = page.locator("#add-clerk")
    form.locator("input[name=name]").fill("林晓")
    form.locator("select[name=department]").select_option("社保")
    form.locator("button[type=submit]").click()
    assert "林晓（c17）" in page.locator("#namesake").inner_text()
    assert "c18" not in store.configs.hall().clerks
    page.locator("#add-clerk input[name=confirm]").check()
    page.locator("#add-clerk button[type=submit]").click()
    page.wait_for_selector("#setup-clerks tr[data-clerk='c18']")
    assert [c.id for c in store.configs.hall().clerks.values() if c.name == "林晓"] == ["c17", "c18"]


@pytest.mark.parametrize("name, width, height", [("1366", 1366, 768), ("1920", 1920, 1080), ("phone", 390, 844)])
def test_setup_fits_the_screen(open_page, users, name, width, height):
    page = open_page("office", width=width, height=height)
    page.goto("/admin/setup")
    overflow = page.evaluate("""() => [...document.querySelectorAll('#add-clerk, #add-window, #setup-departments')]
        .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(el => el.id)""")
    assert overflow == []
    if SCREENSHOTS:
        (DOCS / "admin").mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "admin" / f"setup-{name}.png"), full_page=True)
