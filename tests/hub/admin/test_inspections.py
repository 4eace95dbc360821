"""Inspections (R7): two scheduled before each session's end, two random per day, taken when due and kept."""
import re
from datetime import date, timedelta

import pytest

from hub.inspections import inspection_times
from hub.store import Store

from ..conftest import DAY, hub_app, local, script
from .conftest import Actions
from .test_hostile_input import Http

pytestmark = pytest.mark.backends


def test_the_days_checks(store):
    config, secret = store.configs.hall(), store.settings.inspection_secret()
    times = inspection_times(config, DAY, secret)
    assert [(slot, due.strftime("%H:%M")) for slot, kind, due in times if kind == "scheduled"] == [
        ("scheduled-morning", "11:45"), ("scheduled-afternoon", "17:15")]
    randoms = [due for _, kind, due in times if kind == "random"]
    assert len(randoms) == 2
    sessions = config.sessions_on(DAY)
    assert all(any(start <= due < end for _, start, end in sessions) for due in randoms)
    assert inspection_times(config, DAY, secret) == times, "the same day always draws the same times"
    draws = {tuple(d for _, k, d in inspection_times(config, DAY + timedelta(days=n), secret) if k == "random")
             for n in range(7)}
    assert len({tuple(d.time() for d in draw) for draw in draws}) > 1, "random times differ from day to day"


def test_no_checks_on_a_holiday(store):
    assert inspection_times(store.configs.hall(), date(2026, 10, 1), store.settings.inspection_secret()) == []


def test_checks_are_taken_once_when_due_with_the_state_at_their_time(terminal, store, clock, client, auth):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.presence("11:40", "A", False)
    day.clock("11:50")
    clock.set(local(DAY, "11:50"))
    terminal.push(day.facts)
    due = [(slot, d) for slot, kind, d in inspection_times(store.configs.hall(), DAY, store.settings.inspection_secret())
           if d <= clock()]
    auth.login()
    client.get("/admin/wall")
    client.get("/admin/wall")
    taken = store.inspections.of_day(DAY.isoformat())
    assert [t["slot"] for t in taken] == [slot for slot, _ in sorted(due, key=lambda s: s[1])]
    morning = next(t for t in taken if t["slot"] == "scheduled-morning")
    w03 = next(w for w in morning["snapshot"] if w["window"] == "w03")
    assert w03["state"] == "nobody" and w03["empty_since"] is not None, "at 11:45 A had left at 11:40"
    assert next(w for w in morning["snapshot"] if w["window"] == "w01")["state"] == "unknown"
    page = client.get(f"/admin/inspections?date={DAY}").text
    assert page.count('class="snapshot"') == len(due)


def random_times(store, day=DAY):
    return [due for _, kind, due in inspection_times(store.configs.hall(), day, store.settings.inspection_secret())
            if kind == "random"]


def test_random_times_come_from_the_hubs_own_secret_not_from_the_date(store, database, tmp_path, clock):
    drawn = random_times(store)
    other = hub_app(tmp_path / "other.sqlite", clock)
    with Store.open(other.config["DATABASE"], clock=clock) as elsewhere:
        assert random_times(elsewhere) != drawn, "another hub (another secret) draws other times for the day"
    with Store.open(database, clock=clock) as reopened:
        assert random_times(reopened) == drawn, "the secret is kept: the day's times stay fixed"
    assert len(store.settings.inspection_secret()) == 64


def test_the_random_times_are_taken_over_http_but_never_listed_before(server, store, clock, users):
    slot, first = next((slot, due) for slot, kind, due in inspection_times(
        store.configs.hall(), DAY, store.settings.inspection_secret()) if kind == "random")       # the day's first random check
    office_http = Actions(Http(server))
    clock.set(local(DAY, "08:00"))
    assert office_http.login().status_code == 302
    page = office_http.client.get(f"/admin/inspections?date={DAY}").text
    due = re.search(r'<p class="muted" id="still-due">今日待检查：(.*?)</p>', page).group(1)
    assert due.split() == ["督查", "11:45", "督查", "17:15"], "the scheduled checks are listed, the random ones not"
    clock.set(first + timedelta(minutes=1))
    assert office_http.login().status_code == 302                 # hours later: the idle session has ended
    office_http.client.get("/admin/wall")
    assert [t["slot"] for t in store.inspections.of_day(DAY.isoformat()) if t["kind"] == "random"] == [slot]


def test_the_office_takes_a_manual_check(store, clock, auth):
    clock.set(local(DAY, "09:00"))
    auth.login()
    assert auth.post("/admin/inspections/take").status_code == 302
    page = auth.client.get(f"/admin/inspections?date={DAY}").text
    heading = re.search(r'<section class="snapshot" data-kind="manual">\s*<h2>(.*?)</h2>', page).group(1)
    assert heading == "临时检查 · 检查时间 09:00:00", "a manual check has no planned time"
    assert "拍照" not in page and "已记录各窗口此刻的状态并留存" in page, "a snapshot of states, not a photo"
    assert [t["kind"] for t in store.inspections.of_day(DAY.isoformat())].count("manual") == 1
    assert any(e["action"] == "take inspection" for e in store.audit.entries())


def test_a_viewer_sees_only_their_windows_in_a_snapshot(store, clock, client, auth):
    clock.set(local(DAY, "12:30"))
    auth.login("viewer")
    page = client.get(f"/admin/inspections?date={DAY}").text
    assert "3号窗口" in page and "1号窗口" not in page
