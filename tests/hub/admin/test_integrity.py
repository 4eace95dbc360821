"""The month's 好差评 integrity signals (issue 16 item 3): listed with the facts behind them, per role."""
import re

import pytest

from ..conftest import DAY, local, script


@pytest.fixture
def quick_ratings(terminal, clock):
    """w03 (民政, 陈静 c05 on A) on DAY: three services each rated one second after the done press."""
    day = script("win-03")
    day.presence("08:20", "A")
    for minute in ("09:00", "09:10", "09:20"):
        day.rating(f"{minute}:01", day.done(f"{minute}:00"), 5)
    day.clock("09:30")
    clock.set(local(DAY, "09:31"))
    assert terminal.push(day.facts).status_code == 200


def signal_rows(page):
    """(kind, window, clerk, count) of each row of the signals table."""
    return re.findall(r'<tr data-kind="(\w+)" data-window="(\w*)" data-clerk="(\w*)">.*?<td class="num">(\d+)</td>',
                      page, re.S)


def test_the_office_sees_each_signal_with_its_facts(quick_ratings, client, auth):
    auth.login()
    page = client.get(f"/admin/integrity?month={DAY:%Y-%m}").text
    assert signal_rows(page) == [("quick_rating", "w03", "c05", "3")]
    assert "陈静" in page and "3号窗口" in page
    assert "2026-11-24 09:10:00" in page, "each fact's local time is shown"
    assert "不满2秒" in page, "the threshold in the reader's words"


def test_a_leader_sees_their_departments_signals_and_a_viewer_none(quick_ratings, client, auth):
    auth.login("leader")
    assert signal_rows(client.get(f"/admin/integrity?month={DAY:%Y-%m}").text) == [("quick_rating", "w03", "c05", "3")]
    auth.logout()
    auth.login("viewer")
    assert client.get(f"/admin/integrity?month={DAY:%Y-%m}").status_code == 403


def test_a_month_without_signals_says_so_and_a_bad_month_is_refused(quick_ratings, client, auth):
    auth.login()
    assert signal_rows(client.get("/admin/integrity?month=2026-10").text) == []
    assert client.get("/admin/integrity?month=2026-13").status_code == 400


def test_bad_ratings_upheld_on_appeal_are_a_signal_of_their_clerk(terminal, clock, store, client, auth):
    day = script("win-03")
    day.presence("08:20", "A")
    dones = [day.done(f"{minute}:00") for minute in ("09:00", "09:10", "09:20")]
    for done in dones:
        day.rating(done["wall"][11:16] + ":20", done, 1)
    day.clock("09:30")
    clock.set(local(DAY, "09:31"))
    assert terminal.push(day.facts).status_code == 200
    auth.login()
    assert signal_rows(client.get(f"/admin/integrity?month={DAY:%Y-%m}").text) == []
    for done in dones:
        case = ("hall", "w03", done["seq"], local(DAY, done["wall"][11:16]).isoformat())
        store.cases.file_appeal(case, grounds="malicious", reason="x", by="leader", at="2026-11-24T06:00:00+00:00")
        store.cases.decide_appeal(case, outcome="upheld", decision="y", by="office", at="2026-11-24T06:10:00+00:00")
    page = client.get(f"/admin/integrity?month={DAY:%Y-%m}").text
    assert signal_rows(page) == [("appeals_upheld", "w03", "c05", "3")]
    assert "本人100%" in page
