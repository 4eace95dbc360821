"""Absence is a person's (R2), empty-window time is charged to whoever was responsible (R4), and a verdict
is final only once its window has been heard past the session (R3)."""
from protocol.config import load_config
from protocol.facts import parse_fact
from protocol.rules import derive
from protocol.scenario import TerminalScript

from .support import DAY, HALL, hall_config, judge, rows, script, t

# 张敏 (c01)'s approved leave from 08:30 on DAY; {cover} is left for a ``cover = "..."`` line
LEAVE = """
[[leave]]
clerk = "c01"
from = "2026-11-24T08:30+08:00"
to = "2026-11-24T{until}+08:00"
kind = "{kind}"
approved_by = {approvers}
{cover}
"""

# 王伟 (c03) is A of 2号窗口 and B of 1号窗口; 张敏 (c01), A of 1号窗口, is on approved leave all day.
SHARED_B = (HALL.replace('a = "c01"\nb = "c02"', 'a = "c01"\nb = "c03"')
            + LEAVE.format(until="17:30", kind="sick", approvers='["leader", "deputy_director"]', cover=""))


def shared_b_hall():
    return load_config(SHARED_B)


def on_time_at(terminal, post):
    """A clerk's day at *terminal*'s *post*: on time for both sessions, signed out at their ends."""
    s = script(terminal)
    s.presence("08:20", post)
    s.presence("12:01", post, False)
    s.presence("14:20", post)
    s.presence("17:31", post, False)
    return s


def test_a_clerk_at_work_at_his_own_window_is_not_absent_at_the_window_he_covers():
    """Y AB岗 第三条: "B岗顶岗期间…同时做好本职工作" — he is at work; the window nobody held is empty (R3)."""
    report = judge(shared_b_hall(), on_time_at("win-02", "A"), script("win-01"))
    assert [(r["window"], r["status"]) for r in rows(report, "attendance", clerk="c03")] == [
        ("w01", "on_time"), ("w02", "on_time"), ("w01", "on_time"), ("w02", "on_time")]
    assert rows(report, "violations", kind="absent") == []
    covered = rows(report, "attendance", clerk="c03", window="w01")[0]
    assert (covered["signed_in_at"], covered["sign_in"]) == ("w02", None)
    empty = rows(report, "violations", kind="empty_window", window="w01")
    assert [(v["start"], v["end"]) for v in empty] == [(t("08:30"), t("12:00")), (t("14:30"), t("17:30"))]


def test_signing_in_at_the_covered_window_counts_for_his_own_too():
    report = judge(shared_b_hall(), on_time_at("win-01", "B"), script("win-02"))
    own = rows(report, "attendance", clerk="c03", window="w02")
    assert {(r["status"], r["signed_in_at"]) for r in own} == {("on_time", "w01")}
    assert rows(report, "violations", kind="absent") == []


def test_no_sign_in_at_either_window_is_one_absence_per_session_at_his_own_post():
    """旷工 is half a day of a person: one violation per session, not one per window."""
    report = judge(shared_b_hall(), script("win-01"), script("win-02"))
    assert {r["status"] for r in rows(report, "attendance", clerk="c03")} == {"absent"}
    absent = rows(report, "violations", kind="absent", clerk="c03")
    assert [(v["window"], v["start"]) for v in absent] == [("w02", t("08:30")), ("w02", t("14:30"))]


def test_the_verdict_at_the_covered_window_reads_the_other_window_when_judged_alone():
    """The hub derives one window-day at a time: w01's rows must still see w02's sign-ins."""
    report = judge(shared_b_hall(), on_time_at("win-02", "A"), script("win-01"), windows=["w01"])
    assert {(r["status"], r["signed_in_at"]) for r in rows(report, "attendance", clerk="c03")} == {("on_time", "w02")}
    assert rows(report, "violations", kind="absent") == [] and rows(report, "attendance", window="w02") == []


# R4: E §1(3) "A角需请假的，应由进驻部门安排B角到行政中心顶岗"; the leave may name another cover.
PARTIAL_LEAVE = LEAVE.format(until="10:00", kind="personal", approvers='["leader", "office"]', cover="{cover}")


def charged_of(report):
    return [v["charged_to"] for v in rows(report, "violations", kind="empty_window", window="w01")]


def test_empty_minutes_go_to_the_clerk_responsible_at_each_minute():
    """B covers A's leave until 10:00 but leaves at 09:30; A comes at 10:05: 30 minutes are B's, 5 are A's."""
    s = script()
    s.presence("08:20", "B")
    s.presence("09:30", "B", False)
    s.presence("10:05", "A")
    report = judge(hall_config(PARTIAL_LEAVE.format(cover="")), s, as_of="10:30")
    assert charged_of(report) == [[{"clerk": "c02", "seconds": 1800}, {"clerk": "c01", "seconds": 300}]]


def test_the_leaves_named_cover_is_charged_instead_of_b():
    s = script()
    s.presence("10:05", "A")
    report = judge(hall_config(PARTIAL_LEAVE.format(cover='cover = "c04"')), s, as_of="10:30")
    assert charged_of(report) == [[{"clerk": "c04", "seconds": 5400}, {"clerk": "c01", "seconds": 300}]]


def test_with_nobody_scheduled_the_empty_minutes_stay_the_windows():
    """A and B both on approved leave: nobody was responsible, so the time is the window's (clerk None)."""
    b_leave = PARTIAL_LEAVE.replace('clerk = "c01"', 'clerk = "c02"').format(cover="")
    s = script()
    s.presence("10:05", "A")
    report = judge(hall_config(PARTIAL_LEAVE.format(cover="") + b_leave), s, as_of="10:30")
    assert charged_of(report) == [[{"clerk": None, "seconds": 5400}, {"clerk": "c01", "seconds": 300}]]


def test_the_morning_is_final_in_the_afternoon_and_the_afternoon_is_not():
    """R3: verdicts stay provisional until the terminal has reported past the session's sign-out window."""
    report = judge(load_config(HALL), on_time_at("win-01", "A"), as_of="15:00", windows=["w01"])
    assert [(r["session"], r["provisional"]) for r in rows(report, "attendance", clerk="c01")] == [
        ("morning", False), ("afternoon", True)]


def test_absence_stays_provisional_while_his_other_window_is_unheard():
    """Unknown is not empty: w02 silent since 10:00 may still hold his sign-in."""
    config = shared_b_hall()
    facts = [parse_fact(f) for f in script("win-01").facts]
    at = TerminalScript("x", DAY, config.tz, anchor=False).at
    report = derive(config, facts, as_of=at("23:00"), since=DAY, windows=["w01"], heard={"w02": at("10:00")})
    absent = rows(report, "attendance", clerk="c03", window="w01")
    assert [(r["status"], r["provisional"]) for r in absent] == [("absent", True), ("absent", True)]
    assert {r["provisional"] for r in rows(report, "attendance", clerk="c01")} == {False}


def test_who_held_the_window_is_recorded_with_the_clerk_of_the_post():
    """A B clerk who held the window all morning while A never came (M art. 13 同岗替代) is on the record."""
    s = script()
    s.presence("08:20", "B")
    s.presence("12:02", "B", False)
    report = judge(load_config(HALL), s, windows=["w01"])
    assert [(h["clerk"], h["post"], h["start"], h["end"]) for h in report["holdings"]] == [
        ("c02", "B", t("08:20"), t("12:02"))]


def test_the_named_cover_holds_the_b_post_during_the_leave():
    s = script()
    s.presence("08:30", "B")
    report = judge(hall_config(PARTIAL_LEAVE.format(cover='cover = "c04"')), s, as_of="09:00")
    assert [(h["clerk"], h["end"], h["open"]) for h in report["holdings"]] == [("c04", t("09:00"), True)]
