"""Faults on the blue lamp: patterns, precedence, the hardware file, and a full journal refusing presses."""
import time

import pytest

from firmware.terminal import faults
from firmware.terminal.journal import Journal
from firmware.terminal.lamps import Lamps
from firmware.terminal.panel import Panel
from firmware.terminal.terminal import Terminal
from firmware.terminal.hallconfig import StaticConfig
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
