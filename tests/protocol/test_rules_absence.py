"""R2 旷工 and 脱岗, and R9's effect: approved leave turns absence into leave."""
import pytest

from .support import hall_config, judge, rows, script, t

HALF_DAY_LEAVE = """
[[leave]]
clerk = "c01"
from = "2026-11-24T08:30+08:00"
to = "2026-11-24T12:00+08:00"
kind = "sick"
approved_by = {approved}
"""


def test_no_sign_in_and_no_leave_is_absent_for_the_session(hall):
    report = judge(hall, script())
    assert [r["status"] for r in rows(report, "attendance", clerk="c01")] == ["absent", "absent"]
    absent = rows(report, "violations", kind="absent", clerk="c01")
    assert [(v["start"], v["end"], v["seconds"]) for v in absent] == [
        (t("08:30"), t("12:00"), 12600), (t("14:30"), t("17:30"), 10800)]


@pytest.mark.parametrize("approved, status", [
    ('["leader", "office"]', "leave"),       # half a day: window group leader, then the office
    ('["leader"]', "absent"),                # the office has not approved yet
    ("[]", "absent"),                        # asked by word of mouth: counts as absent
])
def test_approved_half_day_leave_turns_absence_into_leave(approved, status):
    hall = hall_config(HALF_DAY_LEAVE.format(approved=approved))
    report = judge(hall, script())
    assert rows(report, "attendance", clerk="c01", session="morning")[0]["status"] == status
    assert bool(rows(report, "violations", kind="absent", clerk="c01", session="morning")) == (status == "absent")


TWO_DAY_LEAVE = """
[[leave]]
clerk = "c01"
from = "2026-11-24T08:30+08:00"
to = "2026-11-25T17:30+08:00"
kind = "personal"
approved_by = {approved}
"""


@pytest.mark.parametrize("approved, status", [
    ('["leader", "deputy_director"]', "leave"),   # 窗口组长签署意见，报行政中心副主任签批
    ('["deputy_director"]', "absent"),            # the group leader has not signed
    ('["leader", "office"]', "absent"),           # the half-day tier is not enough
])
def test_one_to_two_day_leave_needs_the_group_leader_and_the_deputy_director(approved, status):
    """E §2(2): 1至2天的病、事假由本人申请，窗口组长签署意见，报行政中心副主任签批."""
    hall = hall_config(TWO_DAY_LEAVE.format(approved=approved))
    assert [r["status"] for r in rows(judge(hall, script()), "attendance", clerk="c01")] == [status, status]


@pytest.mark.parametrize("approved, status", [
    ('["leader", "deputy_director"]', "absent"),
    ('["department_head", "director"]', "leave"),
])
def test_two_and_a_half_days_take_the_stricter_three_day_tier(approved, status):
    """The seed names 1–2 days and 3 days or more; 2.5 days falls between and needs the 3+ day tier."""
    hall = hall_config(TWO_DAY_LEAVE.replace("2026-11-25T17:30", "2026-11-26T12:00").format(approved=approved))
    assert hall.leave_days(hall.leave[0]) == 2.5
    assert rows(judge(hall, script()), "attendance", clerk="c01", session="morning")[0]["status"] == status


def test_b_clerk_is_scheduled_while_a_is_on_leave():
    hall = hall_config(HALF_DAY_LEAVE.format(approved='["leader", "office"]'))
    s = script()
    s.presence("08:31", "B")
    report = judge(hall, s)
    cover = rows(report, "attendance", clerk="c02")
    assert [(r["session"], r["status"], r["post"]) for r in cover] == [("morning", "late", "B")]


def test_leave_covering_the_start_moves_it_to_the_leave_end():
    leave = HALF_DAY_LEAVE.replace("12:00+08:00", "10:00+08:00").format(approved='["leader", "office"]')
    hall = hall_config(leave)
    s = script()
    s.presence("09:55", "A")
    assert rows(judge(hall, s), "attendance", clerk="c01", session="morning")[0]["status"] == "on_time"
    late = script()
    late.presence("10:00:01", "A")
    assert rows(judge(hall, late), "attendance", clerk="c01", session="morning")[0]["status"] == "late"


@pytest.mark.parametrize("back, off_post_seconds", [
    ("10:15:00", None),      # exactly away_grace: not yet 脱岗
    ("10:15:01", 901),
    ("11:00:00", 3600),
])
def test_away_from_the_post_beyond_away_grace_is_off_post(hall, back, off_post_seconds):
    s = script()
    s.presence("08:20", "A")
    s.presence("10:00", "A", False)
    s.presence(back, "A")
    off = rows(judge(hall, s), "violations", kind="off_post", clerk="c01")
    assert [v["seconds"] for v in off] == ([] if off_post_seconds is None else [off_post_seconds])


def test_away_with_a_handover_accepted_by_b_is_not_off_post(hall):
    s = script()
    s.presence("08:20", "A")
    s.handover("10:00", "A", "meeting")
    s.presence("10:00:30", "B")
    s.presence("11:30", "A")
    assert rows(judge(hall, s), "violations", kind="off_post") == []


def test_away_covered_by_approved_leave_is_not_off_post():
    leave = HALF_DAY_LEAVE.replace("08:30+08:00", "10:00+08:00").replace("12:00+08:00", "11:00+08:00")
    hall = hall_config(leave.format(approved='["leader", "office"]'))
    s = script()
    s.presence("08:20", "A")
    s.presence("10:00", "A", False)
    s.presence("11:00", "A")
    assert rows(judge(hall, s), "violations", kind="off_post") == []


@pytest.mark.parametrize("sign_in, status", [("09:00:00", "late"), ("09:00:01", "absent")])
def test_very_late_sign_in_counts_as_absent_when_the_hall_says_so(sign_in, status):
    hall = hall_config("[rules]\nlate_as_absent_min = 30\n")
    s = script()
    s.presence(sign_in, "A")
    assert rows(judge(hall, s), "attendance", clerk="c01", session="morning")[0]["status"] == status
