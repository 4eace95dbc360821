"""End to end: done pressed at the window terminal → the keypad (firmware in MicroPython) → a rating fact
with its service id in the terminal's journal."""
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from gpiozero.pins.mock import MockFactory

from firmware.terminal.clock import ManualClock
from firmware.terminal.hallconfig import StaticConfig
from firmware.terminal.journal import Journal
from firmware.terminal.keypad import KeypadLink
from firmware.terminal.lamps import Lamps
from firmware.terminal.panel import Panel
from firmware.terminal.pinmap import load_pinmap
from firmware.terminal.terminal import Terminal
from protocol.config import load_config

pytestmark = pytest.mark.micropython

ROOT = Path(__file__).resolve().parents[2]
OPENING = datetime(2026, 11, 24, 8, 25, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def window(tmp_path):
    """A window terminal on mock pins whose keypad link is not attached yet; closed after the test."""
    hall = load_config((ROOT / "hardware" / "hall" / "hall.toml").read_text(encoding="utf-8"))
    panel = Panel(load_pinmap(ROOT / "hardware" / "pinmap.toml"), pin_factory=MockFactory())
    journal = Journal(tmp_path / "journal", terminal=hall.windows[0].terminal)
    link = KeypadLink(timeout_s=2, grace_s=0.3, retry_s=0.2)
    terminal = Terminal(panel=panel, journal=journal, config_source=StaticConfig(hall),
                        clock=ManualClock(OPENING), boot="boot1", keypad=link,
                        lamps=Lamps(panel, blink_s=0.02, beep_s=0.02))
    terminal.start()
    yield terminal, panel, journal, link
    terminal.close()
    journal.close()
    panel.close()


def press_done(terminal, panel):
    pin = panel.buttons["done"].pin
    pin.drive_low()
    pin.drive_high()
    terminal.settle()


def wait_for(journal, kind, count=1, timeout=5.0):
    """The journal's facts of *kind* once there are *count* of them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [fact for fact in journal.facts() if fact["kind"] == kind]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    pytest.fail(f"no {count} {kind} fact(s) in the journal: {journal.facts()}")


def test_rating_pressed_on_the_keypad_reaches_the_journal_with_its_service_id(window, plug):
    terminal, panel, journal, link = window
    devnode, keypad = plug()
    link.attach(devnode)
    assert wait_for(journal, "keypad")[0]["firmware"] == "1.1.0"
    press_done(terminal, panel)
    done = wait_for(journal, "done")[0]
    assert keypad.wait_lamps({"rate": 1, "keys": [1, 2, 3, 4, 5], "prompt": done["seq"]})["prompt"] == done["seq"]
    keypad.press(5)
    rating = wait_for(journal, "rating")[0]
    assert (rating["service"], rating["score"]) == (done["seq"], 5)
    terminal.clock.advance(60)
    press_done(terminal, panel)
    second = wait_for(journal, "done", count=2)[1]
    missed = wait_for(journal, "rating_missed")[0]
    assert missed["service"] == second["seq"]
    assert [fact["kind"] for fact in journal.facts()].count("rating") == 1
