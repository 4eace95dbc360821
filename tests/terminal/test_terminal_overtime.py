"""R10 加班 on the terminal, with no hub: an approved evening span lights and judges like a session.

窗口因工作需要，节假日、双休日和晚上加班的，应提前填写加班申请单，报行政中心协调股，经批准安排好值班人员后方可加班。
"""
from dataclasses import replace

import pytest

from protocol.config import load_config
from protocol.facts import parse_fact
from protocol.rules import derive
from tests.protocol.support import EVENING_DUTY
from tests.terminal.conftest import ROOT, at

QUIET = {"a": "off", "b": "off", "empty": "off"}


def example_hall(extra=""):
    return load_config((ROOT / "hardware" / "hall" / "hall.toml").read_text(encoding="utf-8") + extra)


@pytest.fixture
def hall(request):
    """The example hall with w01's approved evening overtime (unless the test says otherwise), as last pulled."""
    return example_hall(getattr(request, "param", EVENING_DUTY))


def test_an_approved_evening_span_lights_and_judges_offline(open_window):
    w = open_window()
    assert w.terminal.hub is None
    w.to(at(18, 20))
    assert w.lamps() == QUIET and w.terminal.state.session is None
    w.to(at(18, 31, 1))                                     # nobody came: the empty grace ran out
    assert w.terminal.state.session == "overtime 18:30"
    assert w.lamps() == {"a": "off", "b": "off", "empty": "on"} and w.buzzer() == "beeping"
    w.press("presence_a")                                   # the duty clerk signs in (late)
    assert w.lamps() == {"a": "on", "b": "off", "empty": "off"} and w.buzzer() == "off"
    w.to(at(19, 30))
    w.press("handover")                                     # a handover is asked as in any session
    assert w.lamps() == {"a": "off", "b": "blink", "empty": "off"}
    w.press("presence_b")
    assert w.lamps() == {"a": "off", "b": "on", "empty": "off"}
    w.to(at(20, 0))
    w.press("presence_b")                                   # B leaves before the span ends: the window is empty
    w.to(at(20, 2))
    assert w.lamp("empty") == "on"
    w.to(at(20, 31))                                        # after the span it is quiet again
    assert w.lamps() == QUIET and w.buzzer() == "off" and w.terminal.state.session is None
    # The journal judged as the terminal does for itself: offline, its own clock is the only one it has.
    trusting = replace(w.hall, rules=replace(w.hall.rules, trust_wall_clock=True))
    report = derive(trusting, [parse_fact(f) for f in w.facts()], as_of=at(20, 31))
    [evening] = [r for r in report["attendance"] if r["session"] == "overtime 18:30"]
    assert (evening["clerk"], evening["status"]) == ("c01", "late")
    assert [(v["start"][11:16], v["end"][11:16]) for v in report["violations"]
            if v["kind"] == "empty_window" and v["start"] >= "2026-11-24T18"] == [
        ("18:30", "18:31"), ("20:00", "20:30")]


@pytest.mark.parametrize("hall", [""], indirect=True)
def test_without_approval_the_evening_stays_quiet(open_window):
    w = open_window()
    w.to(at(18, 40))
    assert w.lamps() == QUIET and w.buzzer() == "off" and w.terminal.state.session is None
