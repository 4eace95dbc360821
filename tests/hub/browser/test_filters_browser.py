"""The lists' filters in real headless Chromium: the office chooses 上月, a department and part of a clerk's name
and sees only that clerk's violations; the Excel export holds the same rows; a group leader cannot widen their
sight by editing the address; the bar fits a phone. Screenshots (HALLPOST_SCREENSHOT=1) go to docs/admin/."""
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ..admin.test_charts import rough_day  # noqa: F401 (fixture)
from ..admin.test_filter_pages import two_windows  # noqa: F401 (fixture)
from ..conftest import local
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "admin"
SIZES = {"1366": (1366, 768), "1920": (1920, 1080), "phone": (390, 844)}


@pytest.fixture
def in_december(two_windows, clock):  # noqa: F811
    """The hub's clock on 2 December 2026, so that 上月 is November and its violations."""
    clock.set(local(date(2026, 12, 2), "10:00"))


def shown(page):
    """The violations listed: (kind, window, clerk) per row."""
    return [tuple(row.locator("td").nth(i).inner_text().strip() for i in (0, 1, 2))
            for row in page.locator("#violations tbody tr:not(:has(td.muted))").all()]


def test_the_office_filters_last_months_violations_of_a_clerk_and_exports_them(open_page, in_december, users):
    page = open_page("office")
    page.goto("/admin/violations")
    assert shown(page) == [], "today (2 December) has nothing yet"
    page.click("#period-shortcuts a[data-period=last_month]")
    page.wait_for_url("**period=last_month")
    assert len(shown(page)) == 8 and page.input_value("input[name=from]") == "2026-11-01"
    page.select_option("select[name=department]", "民政")
    page.fill("input[name=clerk]", "陈")
    page.click("#filter-bar button[type=submit]")
    page.wait_for_url("**clerk=*")
    rows = shown(page)
    assert sorted(kind for kind, _, _ in rows) == ["空岗", "空岗", "脱岗", "迟到"]
    assert {window for _, window, _ in rows} == {"3号窗口 民政救助"} and all("陈静" in who for _, _, who in rows)
    assert page.input_value("select[name=department]") == "民政" and page.input_value("input[name=clerk]") == "陈"
    assert page.locator("#period-shortcuts a[aria-current=true]").inner_text() == "上月", "its days are still shown"
    if SCREENSHOTS:
        for name, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(SHOTS / f"filters-{name}.png"), full_page=name == "phone")
        page.set_viewport_size({"width": 1366, "height": 768})

    with page.expect_download() as download:
        page.click(".exports[data-list=violations] a[href*='.xlsx']")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    exported = [(kind, window, who.split()[0])
                for _hall, kind, window, who, *_ in sheet.iter_rows(min_row=3, values_only=True)]
    assert sheet["A1"].value == "梅溪湖街道便民服务大厅 2026-11-01 – 2026-11-30"
    assert sorted(exported) == sorted((kind, window, who.split()[0]) for kind, window, who in rows), \
        "the export holds exactly the rows on the page (minutes there, durations here)"

    page.click("#filter-reset")
    page.wait_for_url("**/admin/violations")
    assert page.input_value("input[name=clerk]") == "" and page.input_value("input[name=from]") == "2026-12-02"


def test_a_group_leader_cannot_widen_their_sight(open_page, in_december, users):
    page = open_page("leader")                          # 民政: w03 alone
    page.goto("/admin/violations?period=last_month")
    assert {window for _, window, _ in shown(page)} == {"3号窗口 民政救助"}
    assert page.locator("select[name=department]").count() == 0, "one department: nothing to choose"
    assert page.locator("select[name=window] option").all_inner_texts() == ["全部", "3号窗口 民政救助"]
    for query in ("department=社保", "window=w01"):
        answer = page.goto(f"/admin/violations?period=last_month&{query}")
        assert answer.status == 403 and "不在您的查看范围内" in page.locator("main").inner_text()
        assert page.request.get(f"/admin/export/violations.xlsx?period=last_month&{query}").status == 403
    page.goto("/admin/violations?period=last_month&clerk=张敏")
    assert shown(page) == [] and page.locator("#no-clerk").is_visible()


def test_the_filter_bar_fits_a_phone(open_page, in_december, users):
    page = open_page("office", width=390, height=844)
    page.goto("/admin/handovers?period=last_month&window=w03&status=waiting")
    assert page.evaluate("document.getElementById('filter-bar').getBoundingClientRect().right") <= 390
    assert page.input_value("select[name=window]") == "w03" and page.input_value("select[name=status]") == "waiting"
    assert page.locator("#period-shortcuts a[aria-current=true]").inner_text() == "上月"
