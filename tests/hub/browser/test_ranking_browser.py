"""The month's ranking (通报) printed from real headless Chromium to an A4 PDF: its title with the center's name
and the month, the formula and the signature lines are in the PDF's text."""
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from ..admin.test_halls import center  # noqa: F401 (fixtures: 桃花岭 and its users)
from ..admin.test_ranking import record  # noqa: F401

pytestmark = pytest.mark.browser


def folded(text):
    """*text* compared as the PDF's text reads: its fonts map some characters to radicals, which NFKC folds back
    (⼤ 大; also ： to :), all but ⺠ (U+2EA0, 民)."""
    return unicodedata.normalize("NFKC", text).replace("\u2ea0", "民")


def test_printing_the_ranking_to_pdf(open_page, record):  # noqa: F811
    page = open_page("office")
    page.goto("/admin/ranking?month=2026-11&print=1")
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible() and not page.locator("#print-ranking").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = {tuple(round(float(n)) for n in box) for box in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes == {(842, 595)}, "A4 landscape"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = folded(re.sub(r"\s+", "", text))
    assert folded("梅溪湖街道便民服务大厅窗口工作通报（2026年11月）") in flat
    assert folded("负责人：") in flat and "得分=30×办件量" in flat and "并列" in flat
