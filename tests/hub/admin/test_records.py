"""Violations, empty intervals and handovers pages show what derive found, in the hall's words."""
import re

from ..conftest import DAY, report, script


def test_a_handover_never_taken_shows_as_waiting_and_empty(terminal, clock, client, auth):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.handover("09:00", "A", reason="meeting")
    day.presence("09:30", "B", True)
    report(terminal, clock, day, "10:00")
    auth.login()
    handovers = client.get(f"/admin/handovers?from={DAY}&to={DAY}").text
    row = re.search(r'<table id="handovers">.*?</table>', handovers, re.S).group(0)
    assert "A 陈静" in row and "B 杨帆" in row and "09:00:00" in row and "09:30:00" in row and "开会" in row
    assert '<td class="num">30分钟</td>' in row, "the window waited 30 minutes, written as a duration"
    records = client.get(f"/admin/violations?from={DAY}&to={DAY}").text
    violations = re.search(r'<table id="violations">.*?</table>', records, re.S).group(0)
    assert "空岗" in violations and '<td class="num">30分钟</td>' in violations
    empty = re.search(r'<table id="empty-intervals">.*?</table>', records, re.S).group(0)
    assert "09:00:00" in empty and "09:30:00" in empty


def test_durations_read_in_english_words_in_english(terminal, clock, client, auth):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.handover("09:00", "A", reason="meeting")
    day.presence("10:01:10", "B", True)
    report(terminal, clock, day, "10:30")
    auth.login()
    auth.post("/admin/language/en")
    handovers = client.get(f"/admin/handovers?from={DAY}&to={DAY}").text
    row = re.search(r'<table id="handovers">.*?</table>', handovers, re.S).group(0)
    assert '<td class="num">1 h 1 min</td>' in row


def test_a_reversed_range_is_a_400(client, auth):
    auth.login()
    assert client.get("/admin/violations?from=2026-11-24&to=2026-11-23").status_code == 400
