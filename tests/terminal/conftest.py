"""Fixtures for the window terminal: gpiozero's MockFactory, the example hall, a manual clock, a terminal."""
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory

from firmware.terminal.clock import ManualClock
from firmware.terminal.hallconfig import StaticConfig
from firmware.terminal.journal import Journal
from firmware.terminal.lamps import Lamps
from firmware.terminal.panel import Panel
from firmware.terminal.pinmap import load_pinmap
from firmware.terminal.terminal import Terminal
from protocol.config import load_config

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 11, 24, tzinfo=TZ)          # a Tuesday, a working day
TERMINAL, WINDOW = "win-01", "w01"
BLINK_S = 0.02
FAST_BLINK_S = BLINK_S / 2                                          # an escalated handover's waiting lamp
CHIRP_STEPS_S = (FAST_BLINK_S, FAST_BLINK_S, FAST_BLINK_S, 3 * FAST_BLINK_S)   # ... and its buzzer's chirps


def at(hour, minute=0, second=0):
    """A local time on the test day."""
    return DAY.replace(hour=hour, minute=minute, second=second)


def _watch(pin, moving):
    """Sample *pin* over a few blink periods: *moving* if it changes, else 'on' or 'off'."""
    seen = set()
    deadline = time.monotonic() + 8 * BLINK_S
    while time.monotonic() < deadline and len(seen) < 2:
        seen.add(pin.state)
        time.sleep(BLINK_S / 4)
    return moving if len(seen) == 2 else ("on" if seen.pop() else "off")


@pytest.fixture
def mock_pins():
    """gpiozero's MockFactory as the pin factory for the test, reset and restored after it."""
    saved = Device.pin_factory
    Device.pin_factory = MockFactory()
    yield Device.pin_factory
    Device.pin_factory.reset()
    Device.pin_factory = saved


@pytest.fixture
def hall():
    return load_config((ROOT / "hardware" / "hall" / "hall.toml").read_text(encoding="utf-8"))


@pytest.fixture
def pinmap():
    return load_pinmap(ROOT / "hardware" / "pinmap.toml")


@pytest.fixture
def clock():
    return ManualClock(at(8, 0))


class Window:
    """One terminal on mock pins, with helpers to press buttons, move time and read the lamp pins."""

    def __init__(self, *, pinmap, hall, clock, journal_path, boot="boot1", hub=None, keypad=None):
        self.clock, self.journal_path, self.hall = clock, journal_path, hall
        self.panel = Panel(pinmap)
        self.journal = Journal(journal_path, terminal=TERMINAL)
        self.terminal = Terminal(panel=self.panel, journal=self.journal, config_source=StaticConfig(hall),
                                 clock=clock, boot=boot, hub=hub, keypad=keypad,
                                 lamps=Lamps(self.panel, blink_s=BLINK_S, beep_s=BLINK_S, fast_blink_s=FAST_BLINK_S,
                                             chirp_steps_s=CHIRP_STEPS_S))
        self.terminal.start()

    def press(self, button, settle=True):
        pin = self.panel.buttons[button].pin
        pin.drive_low()
        pin.drive_high()
        if settle:
            self.terminal.settle()

    def to(self, when):
        self.clock.advance((when - self.clock.wall()).total_seconds())
        self.terminal.settle()

    def lamp(self, name):
        """'on', 'off' or 'blink', read from the lamp's pin."""
        return _watch(self.panel.lamps[name].pin, "blink")

    def lamps(self):
        return {name: self.lamp(name) for name in ("a", "b", "empty")}

    def buzzer(self):
        """'on', 'off' or 'beeping', read from the buzzer's pin."""
        return _watch(self.panel.buzzer.pin, "beeping")

    def facts(self):
        return self.journal.facts()

    def close(self):
        self.terminal.close()
        self.journal.close()
        self.panel.close()


@pytest.fixture
def open_window(mock_pins, pinmap, hall, clock, tmp_path):
    """Open a window terminal (again, to restart it) on the test's journal; all are closed at the end."""
    opened = []

    def open_(**kwargs):
        kwargs.setdefault("journal_path", tmp_path / "journal")
        window = Window(pinmap=pinmap, hall=hall, clock=clock, **kwargs)
        opened.append(window)
        return window
    yield open_
    for window in opened:
        window.close()
