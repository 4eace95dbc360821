"""R4 AB岗: handover chains, takeovers, and how long the window waited."""
from .support import judge, rows, script, t


def handovers(report, window="w01"):
    return [(h["from_post"], h["to_post"], h["requested"], h["taken"], h["wait_seconds"], h["reason"], h["kind"])
            for h in rows(report, "handovers", window=window)]


def test_a_hands_over_to_b_and_b_hands_back_to_a(hall):
    s = script()
    s.presence("08:20", "A")
    s.handover("10:00", "A", "meeting")
    s.presence("10:00:40", "B")
    s.presence("11:00", "A")           # A returns: B's post ends (B告知A)
    report = judge(hall, s)
    assert handovers(report) == [
        ("A", "B", t("10:00"), t("10:00:40"), 40, "meeting", "handover"),
        ("B", "A", t("11:00"), t("11:00"), 0, None, "return")]
    assert rows(report, "violations", window="w01", session="morning") == []
    assert [e["seconds"] for e in rows(report, "empty_intervals", start=t("10:00"))] == [40]


def test_a_leaves_without_handover_the_window_is_empty_until_b_takes_it(hall):
    s = script()
    s.presence("08:20", "A")
    s.presence("10:00", "A", False)
    s.presence("10:05", "B")
    report = judge(hall, s)
    assert handovers(report) == []
    assert [(v["start"], v["end"]) for v in rows(report, "violations", kind="empty_window", window="w01")][0] == (
        t("10:00"), t("10:05"))
    assert rows(report, "attendance", clerk="c01", session="morning")[0]["early_leave"] is True


def test_b_never_comes_the_window_is_empty_to_the_session_end(hall):
    s = script()
    s.presence("08:20", "A")
    s.handover("10:00", "A", "trip")
    report = judge(hall, s)
    assert handovers(report) == [("A", "B", t("10:00"), None, None, "trip", "handover")]
    empty = rows(report, "violations", kind="empty_window", window="w01")[0]
    assert (empty["start"], empty["end"], empty["seconds"]) == (t("10:00"), t("12:00"), 7200)
    assert [(v["start"], v["end"]) for v in rows(report, "violations", kind="off_post")] == [(t("10:00"), t("12:00"))]


def test_a_coming_back_before_b_cancels_the_handover(hall):
    s = script()
    s.presence("08:20", "A")
    s.handover("10:00", "A", "break")
    s.presence("10:05", "A")
    assert handovers(judge(hall, s)) == [("A", "B", t("10:00"), None, None, "break", "cancelled")]


def test_both_posts_off_in_one_window_while_another_is_fine(hall):
    w1, w2 = script("win-01"), script("win-02")
    w1.presence("08:20", "A")
    w1.presence("09:00", "A", False)
    w2.presence("08:20", "A")
    w2.presence("12:01", "A", False)
    report = judge(hall, w1, w2, as_of="12:30")
    assert rows(report, "violations", window="w02") == []
    assert rows(report, "empty_intervals", window="w02") == []
    assert rows(report, "violations", kind="empty_window", window="w01")[0]["start"] == t("09:00")


def test_handover_across_the_lunch_break_counts_only_session_time(hall):
    s = script()
    s.presence("08:20", "A")
    s.handover("11:58", "A", "meeting")
    s.presence("14:25", "B")
    report = judge(hall, s)
    assert handovers(report) == [("A", "B", t("11:58"), t("14:25"), 120, "meeting", "handover")]
    assert [(e["start"], e["end"]) for e in rows(report, "empty_intervals", window="w01")] == [(t("11:58"), t("12:00"))]
    assert rows(report, "attendance", clerk="c01", session="afternoon")[0]["status"] == "absent"


def test_a_handover_press_by_a_post_that_does_not_hold_changes_nothing(hall):
    s = script()
    s.presence("08:20", "A")
    s.handover("09:00", "B", "other")
    report = judge(hall, s)
    assert handovers(report) == [] and rows(report, "empty_intervals", window="w01", session="morning") == []
