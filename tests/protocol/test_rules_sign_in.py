"""R1 两签到: sign-in and sign-out thresholds, at and around every edge."""
import pytest

from .support import hall_config, judge, rows, script, t


@pytest.mark.parametrize("sign_in, status", [
    ("08:00", "on_time"),
    ("08:25:00", "on_time"),          # exactly start - arrive_early
    ("08:25:01", "not_early"),        # one second later: 未提前到岗
    ("08:30:00", "not_early"),        # exactly at the start
    ("08:30:01", "late"),             # 迟到
    ("11:59:59", "late"),
])
def test_morning_sign_in_is_judged_against_start_minus_arrive_early(hall, sign_in, status):
    s = script()
    s.presence(sign_in, "A")
    row = rows(judge(hall, s), "attendance", clerk="c01", session="morning")[0]
    assert row["status"] == status
    assert row["sign_in"] == t(sign_in)
    late = rows(judge(hall, s), "violations", kind="late", clerk="c01")
    assert bool(late) == (status == "late")
    if late:
        assert late[0]["start"] == t("08:30") and late[0]["end"] == t(sign_in)


def test_each_session_needs_its_own_sign_in(hall):
    s = script()
    s.presence("08:20", "A")
    s.presence("12:01", "A", False)
    report = judge(hall, s)
    assert [r["status"] for r in rows(report, "attendance", clerk="c01")] == ["on_time", "absent"]
    assert rows(report, "violations", kind="absent", clerk="c01")[0]["start"] == t("14:30")


def test_a_clerk_holding_over_lunch_signs_in_again_with_one_press(hall):
    s = script()
    s.presence("08:20", "A")
    s.presence("14:20", "A", True)     # the terminal records on=True: a sign-in while holding
    report = judge(hall, s)
    assert [r["status"] for r in rows(report, "attendance", clerk="c01")] == ["on_time", "on_time"]
    assert rows(report, "empty_intervals", window="w01") == []


def test_wider_arrive_early_threshold_from_config():
    hall = hall_config("[rules]\narrive_early_min = 15\n")
    s = script()
    s.presence("08:15:00", "A")
    s.presence("14:15:01", "A")
    report = judge(hall, s)
    assert [r["status"] for r in rows(report, "attendance", clerk="c01")] == ["on_time", "not_early"]


@pytest.mark.parametrize("sign_out, early_leave, minor", [
    ("11:59:59", True, False),     # 早退
    ("12:00:00", False, True),     # at the end, but before end + leave_late
    ("12:04:59", False, True),
    ("12:05:00", False, False),    # exactly end + leave_late: fine
    ("12:30:00", False, False),
])
def test_sign_out_before_end_is_early_leave_before_end_plus_leave_late_is_minor(hall, sign_out, early_leave, minor):
    s = script()
    s.presence("08:20", "A")
    s.presence(sign_out, "A", False)
    report = judge(hall, s)
    row = rows(report, "attendance", clerk="c01", session="morning")[0]
    assert (row["sign_out"], row["early_leave"], row["left_before_leave_late"]) == (t(sign_out), early_leave, minor)
    early = rows(report, "violations", kind="early_leave")
    assert [(v["start"], v["end"]) for v in early] == ([(t(sign_out), t("12:00"))] if early_leave else [])


def test_no_sign_out_is_null_and_not_early_leave(hall):
    s = script()
    s.presence("08:20", "A")
    row = rows(judge(hall, s), "attendance", clerk="c01", session="morning")[0]
    assert row["sign_out"] is None and row["early_leave"] is False


def test_coming_back_after_leaving_is_not_a_sign_out(hall):
    s = script()
    s.presence("08:20", "A")
    s.presence("09:00", "A", False)
    s.presence("09:10", "A")
    row = rows(judge(hall, s), "attendance", clerk="c01", session="morning")[0]
    assert row["sign_out"] is None and row["early_leave"] is False


def test_sign_in_judged_by_when_the_press_happened_not_when_it_arrived(hall):
    s = script(wall_skew_s=-3600 * 24 * 365 * 50)   # wall clock near 1976; anchored by the hub
    s.presence("08:24", "A")
    assert rows(judge(hall, s), "attendance", session="morning", clerk="c01")[0]["status"] == "on_time"


def test_open_session_is_marked_open_and_absent_is_not_yet_a_violation(hall):
    s = script()
    report = judge(hall, s, as_of="10:00")
    row = rows(report, "attendance", clerk="c01")[0]
    assert row["open"] is True and row["status"] == "absent"
    assert rows(report, "violations", kind="absent") == []
    assert rows(report, "attendance", session="afternoon") == []
