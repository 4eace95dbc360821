"""A whole day at one window on mock pins: sign-in, handovers A→B→A, an empty window, services, restarts."""
import time
from datetime import timedelta

import pytest

from tests.terminal.conftest import at

QUIET = {"a": "off", "b": "off", "empty": "off"}


def kinds(window):
    return [(f["kind"], f.get("post"), f.get("on")) for f in window.facts() if f["kind"] != "boot"]


def test_whole_day_lamps_follow_the_rules(open_window):
    w = open_window()
    assert w.lamps() == QUIET and w.buzzer() == "off"

    w.to(at(8, 20))
    w.press("presence_a")                                   # A signs in early
    assert w.lamps() == {"a": "on", "b": "off", "empty": "off"}

    w.to(at(10, 0))
    w.press("handover")                                     # A hands over to B: B's lamp blinks
    assert w.lamps() == {"a": "off", "b": "blink", "empty": "off"}
    w.to(at(10, 0, 30))
    w.press("presence_b")                                   # B takes the post
    assert w.lamps() == {"a": "off", "b": "on", "empty": "off"}

    w.to(at(10, 40))
    w.press("handover")                                     # B hands back: A's lamp blinks
    assert w.lamps() == {"a": "blink", "b": "off", "empty": "off"}
    w.to(at(10, 40, 20))
    w.press("presence_a")                                   # A is back
    assert w.lamps() == {"a": "on", "b": "off", "empty": "off"}

    w.to(at(11, 0))
    w.press("presence_a")                                   # A walks away without handing over
    assert w.lamps() == QUIET and w.buzzer() == "off"       # within the grace: quiet
    w.to(at(11, 0, 59))
    assert w.lamp("empty") == "off"
    w.to(at(11, 1, 1))                                      # the grace ran out: red lamp and buzzer
    assert w.lamps() == {"a": "off", "b": "off", "empty": "on"} and w.buzzer() == "beeping"
    assert w.terminal.state.alarm

    w.press("handover")                                     # nobody holds the post: a buzz, no fact
    w.to(at(11, 3))
    w.press("presence_b")                                   # B covers: the alarm stops
    assert w.lamps() == {"a": "off", "b": "on", "empty": "off"} and w.buzzer() == "off"

    w.to(at(11, 10))
    w.press("done")                                         # services finished by whoever holds
    w.to(at(11, 20))
    w.press("done")

    w.to(at(12, 30))                                        # lunch: outside the session it is quiet
    w.press("presence_b")
    w.to(at(13, 0))
    assert w.lamps() == QUIET and w.buzzer() == "off"

    assert kinds(w) == [
        ("presence", "A", True), ("handover", "A", None), ("presence", "B", True), ("handover", "B", None),
        ("presence", "A", True), ("presence", "A", False), ("presence", "B", True), ("done", "B", None),
        ("done", "B", None), ("presence", "B", False)]


def test_done_with_nobody_holding_is_recorded_for_post_a(open_window):
    w = open_window()
    w.to(at(9, 0))
    w.press("done")
    assert kinds(w) == [("done", "A", None)]


@pytest.mark.parametrize("boot", ["boot1", "boot2"], ids=["service-restart", "reboot"])
def test_restart_mid_handover_brings_the_same_lamps_back(open_window, boot):
    w = open_window(boot="boot1")
    w.to(at(8, 25))
    w.press("presence_a")
    w.to(at(9, 15))
    w.press("handover")
    assert w.lamps() == {"a": "off", "b": "blink", "empty": "off"}
    w.close()

    w2 = open_window(boot=boot)
    assert w2.lamps() == {"a": "off", "b": "blink", "empty": "off"}
    w2.press("presence_b")
    assert w2.lamps() == {"a": "off", "b": "on", "empty": "off"}
    assert [(f["seq"], f["kind"], f["boot"]) for f in w2.facts()] == [
        (1, "boot", "boot1"), (2, "presence", "boot1"), (3, "handover", "boot1"), (4, "boot", boot),
        (5, "presence", boot)]


def test_restart_while_empty_past_grace_alarms_again(open_window):
    w = open_window()
    w.to(at(9, 0))
    w.press("presence_a")
    w.to(at(9, 30))
    w.press("presence_a")
    w.to(at(9, 32))
    assert w.lamp("empty") == "on"
    w.close()
    w2 = open_window()
    assert w2.lamps() == {"a": "off", "b": "off", "empty": "on"} and w2.buzzer() == "beeping"


def test_a_bounce_within_bounce_ms_is_one_press(open_window, pinmap):
    w = open_window()
    w.to(at(9, 0))
    w.press("presence_a")
    w.clock.advance(ms=pinmap.bounce_ms - 1)
    w.press("presence_a")                                   # contact bounce: ignored
    assert w.lamp("a") == "on"
    w.clock.advance(ms=2)
    w.press("presence_a")                                   # a real second press: A leaves
    assert w.lamp("a") == "off"
    assert kinds(w) == [("presence", "A", True), ("presence", "A", False)]


def test_a_press_and_its_bounce_a_moment_later_are_still_one(open_window):
    w = open_window()
    w.to(at(9, 0))
    w.press("presence_b", settle=False)
    w.press("presence_b", settle=False)                     # same instant by the clock
    w.terminal.settle()
    assert kinds(w) == [("presence", "B", True)]
    w.clock.advance(timedelta(seconds=1).total_seconds())
    w.press("presence_b")
    assert kinds(w)[-1] == ("presence", "B", False)


def test_posts_reset_at_local_midnight(open_window):
    w = open_window()
    w.to(at(17, 0))
    w.press("presence_b")                                   # B stays signed in past the end of the day
    assert w.lamp("b") == "on"
    w.to(at(23, 59, 59))
    assert w.lamp("b") == "on"
    w.to(at(23, 59, 59) + timedelta(seconds=2))             # the timer fires at midnight: a new day
    assert w.lamps() == QUIET
    assert w.terminal.state.holder is None
    w.to(at(8, 35) + timedelta(days=1))                     # next morning, nobody signed in: empty window
    assert w.lamps() == {"a": "off", "b": "off", "empty": "on"}


def test_the_grace_runs_out_by_the_terminal_s_own_timer(mock_pins, pinmap, hall, tmp_path):
    from firmware.terminal.clock import ScaledClock
    from tests.terminal.conftest import Window
    clock = ScaledClock(at(9, 0), speed=600)                 # nobody advances this clock or pokes the terminal
    w = Window(pinmap=pinmap, hall=hall, clock=clock, journal_path=tmp_path / "journal")
    try:
        w.press("presence_a")
        time.sleep(0.01)                                     # 6 s of clock time
        w.press("presence_a")                                # A leaves: the grace starts
        assert w.facts()[-1]["on"] is False and not w.terminal.state.alarm
        deadline = clock.wall() + timedelta(seconds=hall.rules.empty_grace_s + 30)
        while clock.wall() < deadline and not w.terminal.state.alarm:
            time.sleep(0.001)
        assert w.terminal.state.alarm and w.lamp("empty") == "on"
    finally:
        w.close()
