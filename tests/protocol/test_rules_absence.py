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


def test_two_day_leave_needs_the_deputy_director():
    leave = """
[[leave]]
clerk = "c01"
from = "2026-11-24T08:30+08:00"
to = "2026-11-25T17:30+08:00"
kind = "annual"
approved_by = {approved}
"""
    assert hall_config(leave.format(approved='["leader", "office"]')).is_approved(
        hall_config(leave.format(approved='["leader", "office"]')).leave[0]) is False
    hall = hall_config(leave.format(approved='["deputy_director"]'))
    assert [r["status"] for r in rows(judge(hall, script()), "attendance", clerk="c01")] == ["leave", "leave"]


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
