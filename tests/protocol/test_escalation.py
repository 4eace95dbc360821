"""A handover nobody takes escalates after rules.handover_alert_s: judged from the facts alone at a given instant."""
from datetime import datetime, timedelta

from protocol.escalation import escalated, escalates_at
from protocol.window_state import window_state

from .support import DAY, hall_config
from .test_window_state import TZ, fact

HANDOVER = datetime.combine(DAY, datetime.min.time(), TZ).replace(hour=9)


def facts(*more):
    """A signed in at 08:20, handed over at 09:00; then *more* (kind, seconds after the handover, data)."""
    day = [fact(1, HANDOVER.replace(hour=8, minute=20), "presence", post="A", on=True),
           fact(2, HANDOVER, "handover", post="A", reason="meeting")]
    return day + [fact(3 + i, HANDOVER + timedelta(seconds=s), kind, **data) for i, (kind, s, data) in enumerate(more)]


def state(config, day, seconds):
    return window_state(config, day, "w01", HANDOVER + timedelta(seconds=seconds), trust_wall_clock=True)


def test_the_threshold_is_the_halls():
    rules = hall_config("[rules]\nhandover_alert_s = 300\n").rules
    assert escalates_at(HANDOVER, rules) == HANDOVER + timedelta(seconds=300)
    assert not escalated(HANDOVER, HANDOVER + timedelta(seconds=300), rules)
    assert escalated(HANDOVER, HANDOVER + timedelta(seconds=301), rules)
    assert not escalated(None, HANDOVER + timedelta(hours=1), rules), "no handover waiting"


def test_a_waiting_handover_escalates_past_120_s_and_the_state_changes_then_by_itself():
    config = hall_config()
    before = state(config, facts(), 119)
    assert (before.waiting, before.waiting_since, before.escalated) == ("B", HANDOVER, False)
    assert before.next_change == HANDOVER + timedelta(seconds=120, milliseconds=1), "the terminal's timer wakes then"
    after = state(config, facts(), 121)
    assert (after.waiting, after.escalated) == ("B", True)


def test_it_ends_when_b_takes_the_post_or_a_returns():
    config = hall_config()
    taken = state(config, facts(("presence", 130, {"post": "B", "on": True})), 131)
    returned = state(config, facts(("presence", 130, {"post": "A", "on": True})), 131)
    assert (taken.holder, taken.waiting, taken.escalated) == ("B", None, False)
    assert (returned.holder, returned.waiting, returned.escalated) == ("A", None, False)


def test_a_handover_left_waiting_over_lunch_does_not_escalate_out_of_session():
    config = hall_config()
    day = [fact(1, HANDOVER.replace(hour=8, minute=20), "presence", post="A", on=True),
           fact(2, HANDOVER.replace(hour=11, minute=59), "handover", post="A", reason="meeting")]
    lunch = window_state(config, day, "w01", HANDOVER.replace(hour=12, minute=30), trust_wall_clock=True)
    assert (lunch.session, lunch.waiting, lunch.escalated) == (None, "B", False)
