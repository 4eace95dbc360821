"""The month's register printed from real headless Chromium: one A4 landscape page, nothing cut off."""
import re

import pytest

from ..admin.test_register import marked_day  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
A4_LANDSCAPE_PT = (841.89, 595.28)
PRINTABLE_PX = round((297 - 20) / 25.4 * 96)          # A4 landscape less the 10 mm margins, at 96 px per inch


def test_the_register_prints_on_one_a4_landscape_page(open_page, marked_day, users):  # noqa: F811
    page = open_page("office")
    page.set_viewport_size({"width": PRINTABLE_PX, "height": 700})
    page.goto("/admin/attendance/register?month=2026-11&print=1")
    page.emulate_media(media="print")
    assert page.locator("#register tr[data-clerk='c05'] td[data-day='2026-11-24']").inner_text() == "√/迟早"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the register is {overflow}px wider than the printable width"
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert len(boxes) == 1, f"{len(boxes)} pages"
    assert all(abs(float(got) - want) < 1 for got, want in zip(boxes[0], A4_LANDSCAPE_PT)), boxes[0]
