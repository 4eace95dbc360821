"""The inspector's round on a phone (R7 两督查、两抽查) in real headless Chromium at 390×844 with touch: open a spot
check, fill two windows' sheets, correct one, close it, then read the month's summary and its Excel file."""
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ..conftest import DAY, local, report, script
from .conftest import PASSWORD, SCREENSHOTS

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "admin"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone(browser, server):
    """A function giving a logged-in phone page (390×844, touch) for a user."""
    contexts = []

    def _open(username):
        contexts.append(browser.new_context(base_url=server, accept_downloads=True, **PHONE))
        page = contexts[-1].new_page()
        page.set_default_timeout(10_000)
        page.goto("/admin/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.tap("button[type=submit]")
        page.wait_for_url("**/admin/wall")
        return page

    yield _open
    for context in contexts:
        context.close()


def fits_the_phone(page):
    """Nothing wider than the screen: no horizontal scroll."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def choose(page, field, problem=False):
    """Tap one of a sheet's big choices (the first: in order / present; else the problem)."""
    label = page.locator(f"fieldset[data-field={field}] label{'.problem' if problem else ':not(.problem)'}")
    box = label.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 120, f"{field}: a touch target of {box}"
    label.tap()


def shot(page, name):
    if SCREENSHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_inspectors_round_on_a_phone_and_the_months_summary(phone, open_page, terminal, clock, users, store):
    day = script("win-03")
    day.presence("08:20", "A", True)
    report(terminal, clock, day, "09:58", "09:59")
    clock.set(local(DAY, "10:00"))
    page = phone("office")
    page.goto(f"/admin/inspections?date={DAY}")
    page.tap("#take-now")
    page.wait_for_selector("#sheet-list")
    fits_the_phone(page)
    assert page.locator("#sheet-list li[data-window=w03] .snapshot-state").inner_text() == "记录状态： A 陈静"
    assert page.locator("#sheet-list li[data-filed='0']").count() == 8
    shot(page, "inspection-phone-windows.png")

    page.tap("#sheet-list li[data-window=w03] a")
    page.wait_for_selector("#sheet")
    fits_the_phone(page)
    assert page.locator("input[name=present][value='1']").is_checked(), "A held w03 at the snapshot"
    assert page.locator("select[name=clerk]").input_value() == "c05"
    choose(page, "dress", problem=True)
    page.fill("textarea[name=note]", "未着工装")
    shot(page, "inspection-phone-sheet.png")
    page.tap("#save-sheet")
    page.wait_for_selector("#sheet-title:has-text('4号窗口')")          # on to the next window
    assert not page.locator("input[name=present]:checked").count(), "w04 was unknown: the inspector says"
    choose(page, "present", problem=True)
    choose(page, "desk", problem=True)
    page.tap("#save-sheet")
    page.wait_for_selector("#sheet-title:has-text('5号窗口')")
    page.tap("#back-to-list")
    page.tap("#sheet-list li[data-window=w03] a")                         # a correction: attitude too
    assert page.locator("fieldset[data-field=dress] label.problem input").is_checked(), "the filed sheet is shown"
    choose(page, "attitude", problem=True)
    page.tap("#save-sheet")
    page.wait_for_selector("#sheet-title:has-text('5号窗口')")
    page.tap("#back-to-list")
    page.tap("#close-inspection")
    page.wait_for_selector("#inspection-status:has-text('结束检查')")
    w03 = page.locator("#sheet-list li[data-window=w03]").inner_text()
    assert "着装不规范" in w03 and "服务态度差" in w03 and "未着工装" in w03
    assert "不在岗" in page.locator("#sheet-list li[data-window=w04]").inner_text()
    assert page.locator("#sheet-list a").count() == 0, "a closed inspection's sheets are final"
    fits_the_phone(page)
    shot(page, "inspection-phone-closed.png")

    desk = open_page("office")
    desk.goto("/admin/reports?month=2026-11")
    desk.click("#inspection-summary-link")
    desk.wait_for_selector("#summary-title:has-text('2026年11月督查抽查汇总表')")
    counts = {key: desk.locator(f"#summary-windows tr[data-key={key}] td[data-count]").all_inner_texts()
              for key in ("w03", "w04")}
    assert counts == {"w03": ["1", "0", "1", "0", "1"], "w04": ["1", "1", "0", "1", "0"]}
    clerk = desk.locator("#summary-clerks tr[data-key=c05] td[data-count]")
    assert clerk.all_inner_texts() == ["1", "0", "1", "0", "1"]
    assert desk.locator("#summary-clerks tr[data-key=c07] td[data-count=absent]").inner_text() == "1"
    assert "未着工装" in desk.locator("#summary-windows tr[data-key=w03] td.notes").inner_text()
    shot(desk, "inspection-summary-1366.png")
    with desk.expect_download() as download:
        desk.click("#summary-xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "梅溪湖街道便民服务大厅2026年11月督查抽查汇总表"
    assert ["窗口", "3号窗口 民政救助", 1, 0, 1, 0, 1, "11-24 10:00 3号窗口 民政救助：未着工装"] in rows
    assert ["工作人员", "赵磊", 1, 1, 0, 1, 0, None] in rows, "c07, A of w04: not at the post, desk untidy"


def test_a_department_viewer_reads_but_cannot_file(phone, clock, users, store):
    clock.set(local(DAY, "10:00"))
    inspection = store.inspections.add(hall=store.configs.resolve(), day=DAY.isoformat(), slot="manual-100000",
                                       kind="manual", due_at=local(DAY, "10:00"), taken_at=local(DAY, "10:00"),
                                       taken_by="office", snapshot=[dict.fromkeys(
                                           ("name", "holder", "holder_clerk", "empty_since", "last_sync", "keypad"),
                                           None) | {"window": w, "state": "nobody", "name": w} for w in ("w01", "w03")])
    page = phone("viewer")
    page.goto(f"/admin/inspections/{inspection}")
    assert page.locator("#sheet-list li").all_inner_texts()[0].startswith("w03")
    assert page.locator("#sheet-list li").count() == 1, "their department's window only"
    assert page.locator("#sheet-list a, #close-inspection").count() == 0
    answer = page.goto(f"/admin/inspections/{inspection}/windows/w03")
    assert answer.status == 403
    fits_the_phone(page)
