"""The terminal's own clock: wall time until the hub anchors this boot, then anchored time."""
from datetime import timedelta

from firmware.terminal import faults
from tests.terminal.conftest import at


def test_a_clock_anchor_corrects_a_wrong_wall_clock(open_window, clock):
    window = open_window()
    window.to(at(8, 0))                                   # the Pi thinks it is 08:00 (before the session)
    assert window.lamps() == {"a": "off", "b": "off", "empty": "off"}
    assert faults.CLOCK_UNCERTAIN in window.terminal.faults()
    hub_time = at(9, 0)                                   # the hub says it is 09:00: the window is empty
    window.terminal.record_clock(clock.monotonic_ms(), clock.wall(), hub_time).result(10)
    window.terminal.settle()
    assert window.terminal.judgement.now(clock) == hub_time
    assert window.lamp("empty") == "on"                   # empty since 08:30, long past the grace
    assert faults.CLOCK_UNCERTAIN not in window.terminal.faults()
    window.press("presence_a")
    press = window.facts()[-1]
    assert press["kind"] == "presence" and press["wall"].startswith(clock.wall().isoformat()[:16])
    assert window.lamps() == {"a": "on", "b": "off", "empty": "off"}


def test_facts_of_a_boot_without_anchor_keep_their_wall_time_after_a_restart(open_window, clock):
    window = open_window(boot="boot1")
    window.to(at(9, 0))
    window.press("presence_a")
    window.close()
    clock.advance(timedelta(minutes=5).total_seconds())
    again = open_window(boot="boot2")
    assert again.lamp("a") == "on"                        # boot1's sign-in judged at its wall time
    assert again.terminal.state.holder == "A"
