"""R10 加班 (E §3(6)): an approved overtime span is a session for its window; presence outside is extra time.

窗口因工作需要，节假日、双休日和晚上加班的，应提前填写加班申请单，报行政中心协调股，经批准安排好值班人员后方可加班。
"""
from datetime import date

import pytest

from protocol.config import config_from_dict, config_to_dict
from protocol.errors import ConfigError
from protocol.facts import parse_fact
from protocol.window_state import window_state

from .support import EVENING_DUTY, config_error, hall_config, judge, rows, script, t

SATURDAY = date(2026, 11, 28)
WEEKEND_DUTY = """
[[overtime]]
window = "w01"
from = "2026-11-28T09:00:00+08:00"
to = "2026-11-28T12:00:00+08:00"
clerks = ["c02"]
approved_by = "office"
"""


def test_a_weekend_duty_clerk_who_signs_in_on_time_is_on_time_and_counts_his_hours():
    hall = hall_config(WEEKEND_DUTY)
    day = script(day=SATURDAY)
    day.presence("08:50", "B")
    day.presence("11:00", "B", False)
    report = judge(hall, day, day=SATURDAY)
    [row] = rows(report, "attendance", window="w01")
    assert (row["clerk"], row["session"], row["status"], row["post"]) == ("c02", "overtime 09:00", "on_time", "B")
    assert rows(report, "violations", kind="early_leave", clerk="c02")          # 11:00 < 12:00: 早退
    [hours] = report["overtime"]
    assert (hours["clerk"], hours["present_seconds"], hours["start"], hours["end"]) == (
        "c02", 7200, t("09:00", SATURDAY), t("12:00", SATURDAY))


def test_a_duty_clerk_who_never_comes_is_absent_and_the_window_empty():
    report = judge(hall_config(WEEKEND_DUTY), script(day=SATURDAY), day=SATURDAY)
    assert [r["status"] for r in rows(report, "attendance", clerk="c02")] == ["absent"]
    assert rows(report, "violations", kind="empty_window", window="w01")
    assert report["overtime"][0]["present_seconds"] == 0


def test_without_approval_a_saturday_has_no_session_and_presence_is_extra_time_never_a_violation():
    day = script(day=SATURDAY)
    day.presence("09:00", "B")
    day.presence("11:30", "B", False)
    report = judge(hall_config(), day, day=SATURDAY)
    assert report["attendance"] == [] and report["violations"] == [] and report["overtime"] == []
    assert [(r["clerk"], r["post"], r["start"], r["end"], r["seconds"]) for r in report["extra_time"]] == [
        ("c02", "B", t("09:00", SATURDAY), t("11:30", SATURDAY), 9000)]


def test_an_evening_span_judges_sign_in_and_handover_and_only_time_outside_it_is_extra():
    hall = hall_config(EVENING_DUTY)
    day = script()
    day.presence("08:20", "A")
    day.presence("12:00", "A", False)
    day.presence("14:20", "A")
    day.presence("17:32", "A", False)                 # the afternoon's sign-out, within leave_late
    day.presence("18:40", "A")                        # late for the 18:30 overtime
    day.handover("19:30", "A", "break")
    day.presence("19:31", "B")
    day.presence("21:00", "B", False)                 # B stays 30 min past the approved span
    report = judge(hall, day)
    assert rows(report, "attendance", session="afternoon")[0]["sign_out"] == t("17:32")
    [evening] = rows(report, "attendance", session="overtime 18:30")
    assert (evening["clerk"], evening["status"], evening["sign_in"]) == ("c01", "late", t("18:40"))
    assert rows(report, "violations", kind="late", clerk="c01", session="overtime 18:30")
    assert [(h["kind"], h["taken"]) for h in report["handovers"]] == [("handover", t("19:31"))]
    assert rows(report, "empty_intervals", start=t("18:30"))[0]["end"] == t("18:40")
    assert [(r["clerk"], r["present_seconds"]) for r in report["overtime"]] == [("c01", 50 * 60)]
    assert [(r["clerk"], r["start"], r["end"]) for r in report["extra_time"]] == [
        ("c02", t("20:35"), t("21:00"))]     # the span ends 20:30; leave_late (5 min) belongs to it
    assert not any(v["end"] > t("20:30") for v in report["violations"])


def test_each_named_duty_clerk_is_judged_and_counted_on_his_post():
    hall = hall_config(WEEKEND_DUTY.replace('clerks = ["c02"]', 'clerks = ["c01", "c02"]'))
    day = script(day=SATURDAY)
    day.presence("08:50", "A")
    day.presence("09:10", "B")                        # B takes over: A's hours end, B's begin
    day.presence("12:00", "B", False)
    report = judge(hall, day, day=SATURDAY)
    assert {r["clerk"]: (r["post"], r["status"]) for r in report["attendance"]} == {
        "c01": ("A", "on_time"), "c02": ("B", "late")}
    assert {r["clerk"]: r["present_seconds"] for r in report["overtime"]} == {"c01": 600, "c02": 170 * 60}


def test_presence_long_after_the_afternoon_without_approval_is_extra_time():
    day = script()
    day.presence("08:20", "A")
    day.presence("14:20", "A")                        # held through lunch; signs in for the afternoon
    day.presence("19:00", "A", False)
    report = judge(hall_config(), day)
    assert [(r["clerk"], r["start"], r["end"], r["seconds"]) for r in report["extra_time"]] == [
        ("c01", t("12:05"), t("13:30"), 85 * 60), ("c01", t("17:35"), t("19:00"), 85 * 60)]
    assert not rows(report, "violations", clerk="c01")


def test_the_terminal_lights_an_approved_weekend_span_like_a_session():
    hall = hall_config(WEEKEND_DUTY)
    day = script(day=SATURDAY)
    facts = [parse_fact(f) for f in day.facts]
    at = day.at("09:02")
    state = window_state(hall, facts, "w01", at, trust_wall_clock=True)
    assert (state.session, state.alarm, state.empty_since) == ("overtime 09:00", True, day.at("09:00"))
    assert window_state(hall_config(), facts, "w01", at, trust_wall_clock=True).session is None
    before = window_state(hall, facts, "w01", day.at("08:00"), trust_wall_clock=True)
    assert before.session is None and before.next_change == day.at("09:00")


def test_overtime_round_trips_through_the_json_served_to_terminals():
    hall = hall_config(WEEKEND_DUTY + EVENING_DUTY)
    assert config_from_dict(config_to_dict(hall)) == hall
    assert [ot.window for ot in hall.overtime] == ["w01", "w01"]


@pytest.mark.parametrize("old, new, message", [
    ('window = "w01"', 'window = "w09"', "overtime[0].window: unknown window 'w09'"),
    ('clerks = ["c02"]', 'clerks = ["c99"]', "overtime[0].clerks[0]: unknown clerk 'c99'"),
    ('clerks = ["c02"]', "clerks = []", "overtime[0].clerks: must list the duty clerks"),
    ('clerks = ["c02"]', 'clerks = ["c02", "c03"]', "overtime[0].clerks[1]: 'c03' would hold post B with 'c02'"),
    ('clerks = ["c02"]', 'clerks = ["c02", "c02"]', "overtime[0].clerks[1]: 'c02' is listed twice"),
    ("12:00:00+08:00", "08:00:00+08:00", "overtime[0].to: must be after from"),
    ("2026-11-28T12:00:00+08:00", "2026-11-29T01:00:00+08:00", "overtime[0].to: must end on the day it starts"),
    ('from = "2026-11-28T09:00:00+08:00"\nto = "2026-11-28T12:00:00+08:00"',
     'from = "2026-11-24T11:00:00+08:00"\nto = "2026-11-24T13:00:00+08:00"',
     "overtime[0]: overlaps session 'morning' on 2026-11-24"),
    ('approved_by = "office"', "", "overtime[0].approved_by: missing"),
])
def test_overtime_errors_name_the_key_path(old, new, message):
    assert config_error(WEEKEND_DUTY, old, new, hall_config).startswith(message)


def test_two_spans_of_one_window_may_not_overlap():
    with pytest.raises(ConfigError, match=r"^overtime\[1\]: overlaps overtime\[0\] of window 'w01'"):
        hall_config(WEEKEND_DUTY + WEEKEND_DUTY.replace("09:00:00", "11:00:00").replace("12:00:00", "13:00:00"))
