"""The admin pages in real headless Chromium against a real hub server on 127.0.0.1."""
import csv
import io
from pathlib import Path

import pytest

from ..conftest import DAY, local, report, script
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[3] / "docs"


def card(page, window):
    return page.locator(f"#win-{window}")


def test_the_live_wall_changes_when_facts_arrive(open_page, enrol, clock, users):
    clock.set(local(DAY, "09:05"))
    w01, w03, w05, w07 = enrol("w01"), enrol("w03"), enrol("w05"), enrol("w07")
    page = open_page("office")
    assert card(page, "w03").get_attribute("data-state") == "unknown"
    day = script("win-03")
    day.presence("08:20", "A", True)
    w03.push(day.facts)
    page.wait_for_selector("#win-w03[data-state=A]")
    assert "陈静" in card(page, "w03").inner_text()

    w03.push([day.handover("09:03", "A", reason="meeting")])
    page.wait_for_selector("#win-w03[data-state=empty]")
    assert "等待B岗接岗：杨帆" in card(page, "w03").inner_text(), "the clerk awaited is named, not only the post"

    other = script("win-05")
    other.presence("08:25", "B", True)
    w05.push(other.facts, status={"faults": ["journal_near_full"], "keypad_counts": {"dropped_strays": 12}})
    page.wait_for_selector("#win-w05 [data-field=faults]:has-text('日志将满 · 评价器乱键12次未记')")
    third = script("win-07")
    third.presence("08:10", "A", True)
    third.presence("08:58", "A", False)
    third.add("08:59", "keypad", attached=True, firmware="1.0")
    w07.push(third.facts)
    first = script("win-01")
    first.presence("08:24", "A", True)
    first.add("08:24:30", "keypad", attached=True, firmware="1.0")
    w01.push(first.facts)
    page.wait_for_selector("#win-w05[data-state=B]")
    page.wait_for_selector("#win-w07.alarm")
    page.wait_for_selector("#win-w01[data-state=A]")
    assert card(page, "w02").get_attribute("data-state") == "unknown"
    if SCREENSHOTS:
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "live-wall.png"), full_page=True)


def test_approving_leave_turns_absent_into_leave(open_page, terminal, clock, users, store):
    day = script("win-03")
    day.presence("08:20", "B", True)
    report(terminal, clock, day, "12:30", "12:40")
    leader = open_page("leader")
    leader.goto(f"/admin/attendance?date={DAY}")
    assert leader.locator("tr[data-clerk=c05][data-session=morning]").get_attribute("data-status") == "absent"
    leader.goto("/admin/leave")
    form = leader.locator("#new-leave")
    form.locator("select[name=clerk]").select_option("c05")
    form.locator("input[name=from]").fill("2026-11-24T08:30")
    form.locator("input[name=to]").fill("2026-11-24T12:00")
    form.locator("select[name=kind]").select_option("personal")
    form.locator("button[type=submit]").click()
    leader.click("button.approve[data-tier=leader]")
    leader.wait_for_selector("tr[data-status=pending]")
    assert leader.locator("button.approve").count() == 0, "the office's tier is not the leader's to give"

    office = open_page("office")
    office.goto("/admin/leave")
    office.click("button.approve[data-tier=office]")
    office.wait_for_selector("tr[data-status=approved]")
    office.goto(f"/admin/attendance?date={DAY}")
    row = office.locator("tr[data-clerk=c05][data-session=morning]")
    assert row.get_attribute("data-status") == "leave" and "请假" in row.inner_text()


def test_closing_a_follow_up(open_page, terminal, clock, users):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.rating("09:00:20", day.done("09:00"), 1)
    day.clock("10:00")
    clock.set(local(DAY, "10:00"))
    assert terminal.push(day.facts).status_code == 200
    page = open_page("office")
    page.goto(f"/admin/ratings?from={DAY}&to={DAY}")
    page.locator("#followups tr[data-closed=no] a.case-link").click()
    page.wait_for_selector("#verify-form")
    page.locator("#verify-form textarea[name=finding]").fill("群众对办理时限不满")
    page.locator("#verify-form input[name=verified_by]").fill("协调股")
    page.locator("#verify-form button").click()
    page.locator("#rectify-form textarea[name=measure]").fill("完善告知")
    page.locator("#rectify-form button").click()
    page.locator("#callback-form input[name=reached]").check()
    page.locator("#callback-form button").click()
    page.wait_for_selector("#case-steps li[data-step=callback]")
    page.locator("#close-form input[name=note]").fill("已电话回访，问题已解决")
    page.locator("#close-form button").click()
    page.wait_for_selector("#case-closure")
    page.goto(f"/admin/ratings?from={DAY}&to={DAY}")
    page.wait_for_selector("#followups tr[data-closed=yes]")
    assert "已电话回访，问题已解决" in page.locator("#followups").inner_text()


def test_exporting_the_monthly_csv(open_page, terminal, clock, users):
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "10:00")
    page = open_page("office")
    page.goto("/admin/reports?month=2026-11")
    with page.expect_download() as download:
        page.click("#monthly-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["工作人员", "部门", "应出勤（时段）", "实出勤（时段）"]
    assert next(r for r in rows if r[0] == "陈静")[2:4] == ["42", "1"]


def test_a_logged_out_user_is_sent_to_the_login_page(open_page, users):
    page = open_page()
    for path in ("/admin/wall", "/admin/setup", "/admin/leave"):
        page.goto(path)
        assert "/admin/login" in page.url
    assert page.goto("/admin/wall.json").status == 401


def test_a_department_viewer_is_refused_what_is_not_theirs(open_page, users):
    page = open_page("viewer", width=390, height=844)
    assert page.locator(".card").count() == 1 and card(page, "w03").count() == 1
    assert page.goto("/admin/setup").status == 403
    assert page.goto(f"/admin/facts?window=w01&date={DAY}").status == 403
    assert page.goto("/admin/attendance/month?clerk=c01").status == 403
    page.goto("/admin/leave")
    assert page.locator("#new-leave").count() == 0 and page.locator("#new-permit").count() == 0


def test_the_english_switch(open_page, users):
    page = open_page("office")
    page.click("#lang-switch")
    page.wait_for_selector("text=Live wall")
    page.goto("/admin/reports")
    assert "Weekly case counts" in page.content()


def test_a_window_out_of_hours_says_so_after_the_page_refreshes_it(open_page, terminal, clock, users):
    """The card the script redraws out of hours names the state (the script looked up a missing word)."""
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "11:50")
    page = open_page("office")
    page.wait_for_selector("#win-w03[data-state=A]")
    day.presence("12:01", "A", False)
    report(terminal, clock, day, "12:09", "12:10")
    page.wait_for_selector("#win-w03[data-state=closed]")
    assert card(page, "w03").locator("[data-field=holder]").inner_text() == "非工作时段"


def test_the_english_menu_fits_one_line_at_1366(open_page, users):
    page = open_page("office", width=1366, height=768)
    page.click("#lang-switch")
    page.wait_for_selector("html[lang=en]")
    tops = set(page.eval_on_selector_all("header nav a", "links => links.map(a => a.getBoundingClientRect().top)"))
    assert len(tops) == 1, "the menu does not wrap"
    assert page.eval_on_selector(".who", "who => who.getBoundingClientRect().top") < 20, "nor does the user's corner"
