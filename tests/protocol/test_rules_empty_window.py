"""R3 窗口不空岗: empty intervals in session hours, the grace, permits."""
import pytest

from .support import hall_config, judge, rows, script, t

PERMIT = """
[[permits]]
window = "w01"
from = "2026-11-24T10:00+08:00"
to = "2026-11-24T10:10+08:00"
"""


@pytest.mark.parametrize("back, violation", [("10:01:00", False), ("10:01:01", True)])
def test_empty_longer_than_empty_grace_is_a_violation(hall, back, violation):
    s = script()
    s.presence("08:20", "A")
    s.presence("10:00", "A", False)
    s.presence(back, "A")
    report = judge(hall, s)
    empty = rows(report, "empty_intervals", window="w01", start=t("10:00"))
    assert [(e["end"], e["excused"]) for e in empty] == [(t(back), False)]
    assert bool(rows(report, "violations", kind="empty_window", start=t("10:00"))) == violation


def test_window_nobody_opened_is_empty_for_each_whole_session(hall):
    report = judge(hall, script())
    empty = rows(report, "empty_intervals", window="w01")
    assert [(e["start"], e["end"], e["seconds"]) for e in empty] == [
        (t("08:30"), t("12:00"), 12600), (t("14:30"), t("17:30"), 10800)]


def test_lunch_break_is_not_empty(hall):
    s = script()
    s.presence("08:20", "A")
    s.presence("12:00", "A", False)
    s.presence("14:20", "A")
    s.presence("17:30", "A", False)
    assert rows(judge(hall, s), "empty_intervals", window="w01") == []


def test_late_sign_in_leaves_the_window_empty_from_the_start(hall):
    s = script()
    s.presence("08:35", "A")
    empty = rows(judge(hall, s), "violations", kind="empty_window", window="w01")
    assert [(v["start"], v["end"], v["seconds"], v["clerk"]) for v in empty][0] == (t("08:30"), t("08:35"), 300, None)


@pytest.mark.parametrize("back, violation", [("10:08", False), ("10:11:00", False), ("10:11:01", True)])
def test_permit_excuses_the_interval_inside_it(back, violation):
    hall = hall_config(PERMIT)
    s = script()
    s.presence("08:20", "A")
    s.presence("10:00", "A", False)
    s.presence(back, "A")
    report = judge(hall, s)
    inside = rows(report, "empty_intervals", start=t("10:00"))[0]
    assert inside["excused"] is True
    assert bool(rows(report, "violations", kind="empty_window", window="w01", start=t("10:10"))) == violation


def test_open_empty_interval_is_reported_open_at_as_of(hall):
    s = script()
    s.presence("08:20", "A")
    s.presence("10:30", "A", False)
    report = judge(hall, s, as_of="10:31:01")
    empty = rows(report, "empty_intervals", window="w01")[-1]
    assert (empty["start"], empty["end"], empty["open"]) == (t("10:30"), t("10:31:01"), True)
    assert rows(report, "violations", kind="empty_window", window="w01")[-1]["open"] is True


def test_no_sessions_on_holidays_and_sessions_on_make_up_workdays(hall):
    from datetime import date
    holiday = judge(hall, script(day=date(2026, 12, 1)), day=date(2026, 12, 1))
    assert holiday["attendance"] == [] and holiday["empty_intervals"] == []
    sunday = judge(hall, script(day=date(2026, 11, 29)), day=date(2026, 11, 29))
    assert {r["session"] for r in sunday["attendance"]} == {"morning", "afternoon"}
    saturday = judge(hall, script(day=date(2026, 11, 28)), day=date(2026, 11, 28))
    assert saturday["attendance"] == []
