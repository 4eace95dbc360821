"""Alert rules: each trips, and its near miss does not (handover waiting 119 s vs 121 s, and so on)."""
from datetime import datetime, timedelta

from protocol.alerts import (CLOCK, EMPTY, EMPTY_SOON, FOLLOWUP_OVERDUE, HANDOVER_WAITING, JOURNAL, KEYPAD,
                             LOW_RATING, ON_LEAVE, UNKNOWN, OpenFollowup, WindowNow, active_alerts)

from .support import DAY, hall_config

TZ = hall_config().tz
LEAVE = """
[[leave]]
clerk = "c01"
from = "2026-11-24T10:00:00+08:00"
to = "2026-11-24T12:00:00+08:00"
kind = "meeting"
approved_by = ["leader", "office"]
"""
COVERED_LEAVE = LEAVE + 'cover = "c04"\n'


def at(hhmm, day=DAY):
    """Local *hhmm[:ss]* on *day* in the test hall's zone."""
    return datetime.combine(day, datetime.strptime(hhmm, "%H:%M:%S" if hhmm.count(":") == 2 else "%H:%M").time(), TZ)


def alerts(config, now, *windows, followups=()):
    """(kind, window, clerks, since) of the alerts at local *now*."""
    return [(a.kind, a.window, a.clerks, a.since) for a in active_alerts(config, windows, at(now), followups)]


def kinds(config, now, *windows, followups=()):
    return [a[0] for a in alerts(config, now, *windows, followups=followups)]


def test_a_handover_waiting_121_s_alerts_119_s_does_not(hall):
    waiting = WindowNow("w01", "nobody", waiting="B", empty_since=at("10:00"), alarm=True, signed_in=frozenset("AB"))
    assert HANDOVER_WAITING not in kinds(hall, "10:01:59", waiting)
    assert alerts(hall, "10:02:01", waiting)[1] == (HANDOVER_WAITING, "w01", ("c02",), at("10:00"))


def test_the_handover_threshold_is_the_halls(hall):
    config = hall_config("[rules]\nhandover_alert_s = 30\n")
    waiting = WindowNow("w01", "nobody", waiting="B", empty_since=at("10:00"), signed_in=frozenset("AB"))
    assert kinds(config, "10:00:31", waiting) == [HANDOVER_WAITING]


def test_an_empty_window_alerts_as_the_terminal_alarms_charged_to_a(hall):
    assert alerts(hall, "10:01:01", WindowNow("w01", "nobody", empty_since=at("10:00"), alarm=True)) == [
        (EMPTY, "w01", ("c01",), at("10:00"))]
    assert alerts(hall, "10:00:59", WindowNow("w01", "nobody", empty_since=at("10:00"), alarm=False)) == []


def test_an_empty_window_while_a_is_on_leave_is_charged_to_the_named_cover():
    config = hall_config(COVERED_LEAVE)
    assert alerts(config, "10:30", WindowNow("w01", "nobody", empty_since=at("10:00"), alarm=True)) == [
        (EMPTY, "w01", ("c04",), at("10:00"))]


def test_a_session_starting_within_5_min_with_nobody_signed_in_alerts(hall):
    nobody = WindowNow("w01", "nobody")
    assert alerts(hall, "08:25", nobody) == [(EMPTY_SOON, "w01", ("c01",), at("08:25"))]
    assert alerts(hall, "08:24:59", nobody) == []
    assert alerts(hall, "08:25", WindowNow("w01", "nobody", signed_in=frozenset("A"))) == []
    assert alerts(hall, "08:30", nobody) == []           # started: now it is the empty window's (after its grace)


def test_a_session_during_a_s_leave_waits_for_b_not_a():
    config = hall_config(LEAVE.replace("10:00:00", "08:00:00"))
    assert alerts(config, "08:26", WindowNow("w01", "nobody")) == [(EMPTY_SOON, "w01", ("c01", "c02"), at("08:25"))]
    assert alerts(config, "08:26", WindowNow("w01", "nobody", signed_in=frozenset("B"))) == []


def test_a_s_leave_starting_with_no_cover_signed_in_alerts_before_it_starts():
    config = hall_config(COVERED_LEAVE)
    holding = WindowNow("w01", "A", signed_in=frozenset("A"))
    assert alerts(config, "09:55", holding) == [(EMPTY_SOON, "w01", ("c01", "c04"), at("09:55"))]
    assert alerts(config, "09:54:59", holding) == []
    assert alerts(config, "09:55", WindowNow("w01", "A", signed_in=frozenset("AB"))) == []


def test_leave_that_is_not_approved_raises_no_alert():
    config = hall_config(LEAVE.replace('["leader", "office"]', '["leader"]'))
    assert alerts(config, "09:56", WindowNow("w01", "A", signed_in=frozenset("A"))) == []


def test_a_silent_terminal_alerts_in_working_hours_only(hall):
    silent = WindowNow("w01", "unknown", last_seen=at("09:00"))
    assert alerts(hall, "09:10", silent) == [(UNKNOWN, "w01", ("c01",), at("09:00"))]
    assert alerts(hall, "13:00", silent) == []            # lunch: no session
    assert alerts(hall, "14:25", silent) == [(UNKNOWN, "w01", ("c01",), at("09:00"))]
    assert alerts(hall, "09:10", WindowNow("w01", "unknown")) == []   # never heard: not installed yet
    assert alerts(hall, "09:10", WindowNow("w01", "A", last_seen=at("09:09"))) == []


def test_a_terminals_faults_alert_each_once(hall):
    faulty = WindowNow("w01", "A", faults=("keypad_missing", "journal_full", "clock_uncertain", "hub_unreachable"))
    assert kinds(hall, "09:00", faulty) == [KEYPAD, JOURNAL, CLOCK]
    assert alerts(hall, "09:00", WindowNow("w01", "A", keypad=False)) == [(KEYPAD, "w01", ("c01",), None)]
    assert alerts(hall, "09:00", WindowNow("w01", "A", faults=("hub_unreachable",), keypad=True)) == []


def test_a_low_rating_alerts_until_closed_and_again_when_overdue(hall):
    followup = OpenFollowup("w01", 7, at("09:00"), "c01", 2, hall.add_working_days(DAY, 15))
    due = datetime.combine(followup.due + timedelta(days=1), at("00:00").timetz())
    assert alerts(hall, "09:01", followups=[followup]) == [(LOW_RATING, "w01", ("c01",), at("09:00"))]
    late = active_alerts(hall, (), due, [followup])
    assert [(a.kind, a.since, a.day) for a in late] == [(LOW_RATING, at("09:00"), DAY), (FOLLOWUP_OVERDUE, due, DAY)]
    assert [a.kind for a in active_alerts(hall, (), due - timedelta(seconds=1), [followup])] == [LOW_RATING]


def test_a_clerk_holding_the_post_during_approved_leave_alerts():
    config = hall_config(LEAVE)
    holding = WindowNow("w01", "A", signed_in=frozenset("A"))
    assert alerts(config, "10:30", holding) == [(ON_LEAVE, "w01", ("c01",), None)]
    assert alerts(config, "09:59", WindowNow("w01", "A", signed_in=frozenset("AB"))) == []
    assert alerts(config, "11:56", holding) == []     # arriving early for the leave's end (arrive_early_min)
    assert alerts(config, "10:30", WindowNow("w01", "B", signed_in=frozenset("AB"))) == []


def test_an_incident_keeps_its_ident_and_the_next_one_differs(hall):
    first = active_alerts(hall, [WindowNow("w01", "nobody", empty_since=at("10:00"), alarm=True)], at("10:02"))
    later = active_alerts(hall, [WindowNow("w01", "nobody", empty_since=at("10:00"), alarm=True)], at("10:40"))
    next_one = active_alerts(hall, [WindowNow("w01", "nobody", empty_since=at("11:00"), alarm=True)], at("11:02"))
    assert first[0].ident == later[0].ident != next_one[0].ident


def test_a_window_not_in_the_config_raises_nothing(hall):
    assert alerts(hall, "10:02", WindowNow("w99", "nobody", empty_since=at("10:00"), alarm=True),
                  followups=[OpenFollowup("w99", 1, at("09:00"), "c01", 1, DAY)]) == []
