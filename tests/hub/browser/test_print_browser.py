"""The month's attendance summary printed from real headless Chromium: one form, titled, with the hall's name,
the signature lines and the provisional legend, and nothing of the screen's controls."""
import pytest

from ..conftest import DAY, report, script

pytestmark = pytest.mark.browser


def test_printing_the_months_summary(open_page, terminal, clock, users):
    day = script("win-03")
    day.presence("08:42", "A", True)
    report(terminal, clock, day, "10:00")
    page = open_page("office")
    page.goto(f"/admin/reports?week={DAY}&month=2026-11&print=month")
    page.emulate_media(media="print")
    assert page.locator("#print-hall").inner_text() == "梅溪湖街道便民服务大厅"
    assert page.locator("#monthly-report h2").inner_text() == "2026年11月考勤汇总表"
    assert page.locator("#weekly-report").count() == 0
    assert page.locator("#signatures").is_visible() and "负责人：" in page.locator("#signatures").inner_text()
    assert page.locator(".legend-provisional").is_visible()
    assert not page.locator("form.filters").is_visible() and not page.locator("#print-month").is_visible()
    assert page.pdf(format="A4", landscape=True).startswith(b"%PDF")
