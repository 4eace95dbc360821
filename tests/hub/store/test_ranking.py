"""The month's ranking (通报) from a scripted two-hall record, and the reports across halls counting a clerk of
two halls once per person-session."""
from hub.ranking import rank_halls, rank_windows

from ..conftest import DAY, fresh, local, script
from .test_halls import TAOHUALING, center, document, push  # noqa: F401 (the fixture)

MONTH = (DAY.replace(day=1).isoformat(), DAY.replace(day=30).isoformat())


def served(terminal, sign_in, scores):
    """*terminal*'s morning: A signs in at *sign_in* and finishes one service per score, each rated so."""
    day = script(terminal)
    day.presence(sign_in, "A", True)
    for minute, score in enumerate(scores):
        service = day.done(f"09:{10 * minute:02d}")
        day.rating(f"09:{10 * minute + 1:02d}", service, score)
    day.clock("13:40")
    return day


def two_halls(center, clock):
    """The street hall's w03 and w04 alike (two services rated 5 and 4), 桃花岭's w01 one service rated 2;
    the street hall's other windows never heard."""
    center.terminals.enrol(center.terminals.new_enrolment_code("w04", "office"))
    clock.set(local(DAY, "13:45"))
    push(center, "win-03", served("win-03", "08:20", [5, 4]))
    push(center, "win-04", served("win-04", "08:20", [5, 4]))
    thl = served("thl-01", "08:25", [2])
    push(center, "thl-01", thl)
    return fresh(center).reports.window_record(*MONTH)


def test_windows_rank_by_the_stated_score_with_a_tie_and_silent_windows_unranked(center, clock):
    windows = rank_windows(two_halls(center, clock))
    ranked = [(w["hall"], w["window"], w["rank"], w["tied"], w["score"]) for w in windows if w["rank"]]
    assert ranked == [("hall", "w03", 1, True, 96.2), ("hall", "w04", 1, True, 96.2),
                      ("taohualing", "w01", 3, False, 20.5)]
    by_window = {(w["hall"], w["window"]): w for w in windows}
    thl = by_window[("taohualing", "w01")]
    assert (thl["services"], thl["rated"], thl["bad"], thl["satisfied_share"], thl["deducted"]) == (1, 1, 1, 0.0, 2)
    silent = [w["window"] for w in windows if w["rank"] is None]
    assert silent == ["w01", "w02", "w05", "w06", "w07", "w08"], "never heard: not ranked, listed last"
    assert all(by_window[("hall", w)]["silent"] and by_window[("hall", w)]["score"] is None for w in silent)
    assert all(w["provisional"] for w in windows), "the month is not over: nothing is settled"


def test_halls_rank_by_their_ranked_windows_mean(center, clock):
    windows = rank_windows(two_halls(center, clock))
    halls = rank_halls(windows, {"hall": "梅溪湖", "taohualing": "桃花岭"})
    assert [(h["hall"], h["rank"], h["score"], h["windows"], h["services"], h["bad"]) for h in halls] == [
        ("hall", 1, 96.2, 8, 4, 0), ("taohualing", 2, 20.5, 1, 1, 1)]


def test_a_clerk_of_two_halls_is_counted_once_per_session_across_them(center, clock):
    clock.set(local(DAY, "13:45"))
    push(center, "win-03", served("win-03", "08:20", []))
    push(center, "thl-01", served("thl-01", "08:25", []))
    lines = {line["clerk"]: line for line in fresh(center).reports.attendance_summary(DAY.isoformat(), DAY.isoformat())}
    c05 = lines["c05"]
    assert (c05["halls"], c05["scheduled"], c05["on_time"], c05["attended"], c05["absent"]) == (
        ["hall", "taohualing"], 2, 1, 1, 0)


def test_a_leave_entered_in_both_halls_of_a_clerk_counts_once(center):
    both = TAOHUALING + """
[[clerks]]
id = "c01"
name = "张敏"

[[leave]]
clerk = "c01"
from = "2026-11-24T08:30+08:00"
to = "2026-11-24T12:00+08:00"
kind = "sick"
approved_by = ["leader", "office"]
"""
    center.configs.save(document(both), "office", "taohualing")
    c01 = {line["clerk"]: line for line in center.reports.attendance_summary(DAY.isoformat(), DAY.isoformat())}["c01"]
    assert (c01["leave_days"], c01["leave_sick"]) == (0.5, 0.5)
