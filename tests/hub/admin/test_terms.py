"""The hall's terms on the Chinese pages: one word per thing (未提前到岗 everywhere), and full-width punctuation
next to Chinese text (never "迟到: 1" or "窗口 (A)")."""
import html
import re

import pytest

from ..conftest import DAY, report, script

CJK_NEXT_TO_ASCII_PUNCTUATION = re.compile(r"[\u4e00-\u9fff]\s*[,:;()]|[,:;()]\s*[\u4e00-\u9fff]")
PAGES = [f"/admin/attendance?date={DAY}", "/admin/attendance/month?clerk=c05&month=2026-11",
         f"/admin/violations?from={DAY}&to={DAY}", f"/admin/handovers?from={DAY}&to={DAY}", "/admin/leave",
         f"/admin/ratings?from={DAY}&to={DAY}", "/admin/overtime", f"/admin/reports?week={DAY}&month=2026-11",
         "/admin/setup", f"/admin/inspections?date={DAY}", "/admin/audit", "/admin/ranking?month=2026-11",
         f"/admin/center/reports?week={DAY}&month=2026-11"]


def visible_text(page):
    """What a reader sees: the page without scripts, tags and attribute values."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def worked_morning(terminal, clock):
    """w03's morning: A signs in late, hands over for a meeting, B takes the post; leave filed for c06."""
    day = script("win-03")
    day.presence("08:42", "A", True)
    day.handover("09:30", "A", reason="meeting")
    day.presence("09:32", "B", True)
    report(terminal, clock, day, "12:30")


@pytest.mark.parametrize("path", PAGES)
def test_chinese_pages_use_full_width_punctuation(worked_morning, client, auth, path):
    auth.login()
    auth.post("/admin/leave/new", clerk="c06", kind="personal", **{"from": "2026-11-25T08:30", "to": "2026-11-25T12:00"})
    answer = client.get(path)
    assert answer.status_code == 200
    text = visible_text(answer.text)
    assert not CJK_NEXT_TO_ASCII_PUNCTUATION.findall(text), CJK_NEXT_TO_ASCII_PUNCTUATION.findall(text)


def test_not_early_is_one_term_on_the_day_and_in_the_reports(worked_morning, client, auth):
    auth.login()
    reports = visible_text(client.get(f"/admin/reports?week={DAY}&month=2026-11").text)
    assert "未提前到岗" in reports and not re.search(r"未提前(?!到岗)", reports)
