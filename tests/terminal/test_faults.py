"""Faults on the blue lamp: patterns, precedence, the hardware file, and a full journal refusing presses."""
import time
from dataclasses import replace

import pytest

from firmware.terminal import faults
from firmware.terminal.journal import Journal
from firmware.terminal.lamps import Lamps
from firmware.terminal.panel import Panel
from firmware.terminal.hallconfig import StaticConfig
from firmware.terminal.terminal import Terminal
from protocol import status
from protocol.window_state import WindowState
from tests.terminal.conftest import TERMINAL, at

FAST = {name: (None if pattern is None else (0.01, 0.01)) for name, pattern in faults.PATTERNS.items()}


def watch(pin, seconds=0.1):
    seen = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen.add(pin.state)
        time.sleep(0.002)
    return "blink" if len(seen) == 2 else ("on" if seen.pop() else "off")


def test_the_hardware_file_and_the_constants_agree():
    assert faults.load_patterns() == faults.PATTERNS


def test_the_lamp_has_a_pattern_for_each_fault_the_protocol_names_in_its_order():
    assert tuple(faults.PATTERNS) == status.FAULTS


def test_the_most_urgent_fault_wins():
    assert faults.most_urgent(set()) == faults.STEADY
    assert faults.most_urgent({faults.HUB_UNREACHABLE}) is None
    assert faults.most_urgent({faults.HUB_UNREACHABLE, faults.JOURNAL_NEAR_FULL}) == (0.25, 0.25)
    assert faults.most_urgent({faults.KEYPAD_MISSING, faults.JOURNAL_FULL}) == (0.1, 0.1)


@pytest.mark.parametrize("present, shown", [
    (set(), "on"),
    ({faults.HUB_UNREACHABLE}, "off"),
    ({faults.HUB_UNREACHABLE, faults.CLOCK_UNCERTAIN}, "blink"),
])
def test_the_online_lamp_shows_the_faults(mock_pins, pinmap, present, shown):
    with Panel(pinmap) as panel:
        lamps = Lamps(panel, patterns=FAST)
        lamps.show_faults(present)
        assert watch(panel.lamps["online"].pin) == shown


def test_a_full_journal_refuses_the_press_loudly_and_keeps_running(mock_pins, pinmap, hall, clock, tmp_path,
                                                                   caplog):
    with Panel(pinmap) as panel, Journal(tmp_path / "j", terminal=TERMINAL, max_bytes=600) as journal:
        terminal = Terminal(panel=panel, journal=journal, config_source=StaticConfig(hall), clock=clock,
                            boot="boot1", lamps=Lamps(panel, patterns=FAST)).start()
        try:
            clock.advance((at(9) - clock.wall()).total_seconds())
            pin = panel.buttons["presence_a"].pin
            for _ in range(10):
                pin.drive_low()
                pin.drive_high()
                clock.advance(1)
            terminal.settle()
            assert faults.JOURNAL_FULL in terminal.faults()
            assert any("journal full" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)
            stored = [f for f in journal.facts() if f["kind"] == "presence"]
            assert 0 < len(stored) < 10                               # refused, never silently dropped
            lit = stored[-1]["on"]
            assert panel.lamps["a"].pin.state == lit                  # the lamp shows what was recorded
            assert watch(panel.lamps["online"].pin) == "blink"
        finally:
            terminal.close()


def test_the_hardware_file_and_the_signal_constants_agree():
    assert faults.load_signals() == faults.SIGNALS


FAST_SIGNALS = {
    faults.CLOCK_UNCERTAIN: {"lamps": ["a", "b"], "step_s": 0.01, "for_s": 0.04},
    faults.JOURNAL_NEAR_FULL: {"lamps": ["empty"], "steps_s": [0.01, 0.01, 0.01, 0.03]},
    faults.KEYPAD_MISSING: {"beep_s": 0.01, "every_s": 0.03},
}


def alarm_state(alarm):
    return WindowState(window="w01", at=at(9), session="morning", holder=None, waiting=None,
                       empty_since=at(8, 30), alarm=alarm, signed_in=frozenset(), next_change=None)


def test_without_a_blue_lamp_the_red_lamp_and_buzzer_signal_faults(mock_pins, pinmap):
    lampless = replace(pinmap, lamps={k: v for k, v in pinmap.lamps.items() if k != "online"})
    with Panel(lampless) as panel:
        lamps = Lamps(panel, patterns=FAST, signals=FAST_SIGNALS)
        lamps.show(alarm_state(False))
        lamps.show_faults({faults.JOURNAL_NEAR_FULL, faults.KEYPAD_MISSING})
        assert watch(panel.lamps["empty"].pin) == "blink"          # the red double blink
        assert watch(panel.buzzer.pin) == "blink"                  # the reminder beep
        lamps.show(alarm_state(True))                              # the empty-window alarm wins
        assert watch(panel.lamps["empty"].pin) == "on"
        lamps.show(alarm_state(False))
        lamps.show_faults(set())
        assert watch(panel.lamps["empty"].pin) == "off" and watch(panel.buzzer.pin) == "off"


def test_the_boot_signal_alternates_green_and_amber_then_shows_the_state(mock_pins, pinmap):
    with Panel(pinmap) as panel:
        lamps = Lamps(panel, patterns=FAST, signals=FAST_SIGNALS)
        lamps.show(replace(alarm_state(False), holder="A"))
        seen = []
        lamps.boot_signal(lambda s: seen.append((panel.lamps["a"].pin.state, panel.lamps["b"].pin.state)),
                          FAST_SIGNALS[faults.CLOCK_UNCERTAIN])
        assert seen == [(True, False), (False, True), (True, False), (False, True)]
        assert panel.lamps["a"].pin.state and not panel.lamps["b"].pin.state
