"""The leave list in real headless Chromium: refusing takes a second step and a reason, and on a phone every
button of a request is on the screen."""
import pytest

pytestmark = pytest.mark.browser


def file_leave(page, clerk="c05"):
    page.goto("/admin/leave")
    form = page.locator("#new-leave")
    form.locator("select[name=clerk]").select_option(clerk)
    form.locator("input[name=from]").fill("2026-11-24T08:30")
    form.locator("input[name=to]").fill("2026-11-24T12:00")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("tr[data-status=pending]")


def test_refusing_takes_a_second_step_and_a_reason(open_page, users, store):
    page = open_page("office")
    file_leave(page)
    row = page.locator("tr[data-status=pending]")
    row.locator("details.reject summary").click()
    confirm = row.locator("form.reject-leave button[type=submit]")
    confirm.click()
    assert row.locator("input[name=reason]").evaluate("el => el.validity.valueMissing")
    assert store.leave.requests()[0]["status"] == "pending", "one click refuses nothing"
    row.locator("input[name=reason]").fill("当天窗口无人顶岗")
    confirm.click()
    page.wait_for_selector("tr[data-status=rejected]")
    assert "原因：当天窗口无人顶岗" in page.locator("tr[data-status=rejected]").inner_text()


def test_on_a_phone_the_approve_buttons_are_on_screen(open_page, users):
    page = open_page("office", width=390, height=844)
    file_leave(page)
    for button in page.locator("tr[data-status=pending] button.approve").all() + \
            [page.locator("tr[data-status=pending] details.reject summary")]:
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
