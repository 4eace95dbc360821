"""R10 加班 in real headless Chromium: the group leader files a request, the office approves or rejects it."""
import pytest


pytestmark = pytest.mark.browser


def file_request(page, start, end):
    """Fill and send the overtime form of the page (w03, duty clerk c06)."""
    page.goto("/admin/overtime")
    form = page.locator("#new-overtime")
    form.locator("select[name=window]").select_option("w03")
    form.locator("input[name=from]").fill(start)
    form.locator("input[name=to]").fill(end)
    form.locator("select[name=clerks]").select_option(["c06"])
    form.locator("input[name=reason]").fill("婚姻登记集中办理")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=加班申请已提交")


def test_a_request_filed_approved_and_another_rejected_with_a_reason(open_page, users, store):
    leader = open_page("leader")
    file_request(leader, "2026-11-28T09:00", "2026-11-28T12:00")
    file_request(leader, "2026-11-29T09:00", "2026-11-29T12:00")
    assert leader.locator("#overtime-requests button.approve").count() == 0, "approval is the office's"
    saturday, sunday = sorted(r["id"] for r in store.overtime.requests())

    office = open_page("office")
    office.goto("/admin/overtime")
    office.locator(f"tr[data-request='{saturday}'] button.approve").click()
    office.wait_for_selector(f"tr[data-request='{saturday}'][data-status=approved]")
    row = office.locator(f"tr[data-request='{sunday}']")
    row.locator("input[name=reason]").fill("周日无法安排值班人员")
    row.locator("button.secondary").click()
    office.wait_for_selector(f"tr[data-request='{sunday}'][data-status=rejected]")
    assert "周日无法安排值班人员" in office.locator(f"tr[data-request='{sunday}']").inner_text()
    assert [ot.start.day for ot in store.configs.hall().overtime] == [28]
    office.click("#lang-switch")
    office.goto("/admin/overtime")
    assert "Overtime requests" in office.content() and "Unapproved extra time" in office.content()
