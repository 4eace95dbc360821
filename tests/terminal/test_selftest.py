"""The installer's self-test on gpiozero's MockFactory: each part's row passes or fails on what happens."""

import re
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from gpiozero.pins.mock import MockFactory

from firmware.terminal.panel import Panel
from firmware.terminal.pinmap import load_pinmap
from firmware.terminal.selftest import BUTTON_LABELS, Check, exit_code, report, run_selftest, selftest
from tests.servers import http_server, reply_json, serving, url_of

PINMAP = Path(__file__).resolve().parents[2] / "hardware" / "pinmap.toml"
HUB_TIME = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
COLOURS = {"green": "a", "amber": "b", "red": "empty", "blue": "online"}


class ClockHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/api/v1/clock":
            self.send_error(404)
            return
        reply_json(self, 200, {"hub_time": HUB_TIME.isoformat()})

    def log_message(self, *args):
        pass


@pytest.fixture
def hub_url():
    with serving(http_server(ClockHandler)) as server:
        yield url_of(server)


@pytest.fixture
def factory():
    return MockFactory()


@pytest.fixture
def pinmap():
    return load_pinmap(PINMAP)


class Installer:
    """Answers as a person at the terminal would: from what the mock pins show; presses what is asked."""

    def __init__(self, factory, pinmap, *, skip=(), swap=None):
        self.factory, self.pinmap, self.skip, self.swap = factory, pinmap, set(skip), swap or {}
        self.questions, self.prompts = [], []

    def ask(self, question):
        self.questions.append(question)
        if "buzzer" in question:
            return "y" if self.factory.pin(self.pinmap.buzzer).state else "n"
        colour = next(c for c in COLOURS if f"the {c} lamp" in question)
        lit = {name for name, pin in self.pinmap.lamps.items() if self.factory.pin(pin).state}
        return "y" if lit == {COLOURS[colour]} else "n"

    def say(self, prompt):
        self.prompts.append(prompt)
        asked = next((name for name, label in BUTTON_LABELS.items() if prompt.startswith(f"Press {label} now")), None)
        if asked is None or asked in self.skip:
            return
        pin = self.factory.pin(self.pinmap.buttons[self.swap.get(asked, asked)])
        pin.drive_low()
        pin.drive_high()


def _run(factory, pinmap, installer, tmp_path, hub_url, **kwargs):
    with Panel(pinmap, pin_factory=factory) as panel:
        return selftest(panel, ask=installer.ask, say=installer.say, find_keypad=lambda: "/dev/ttyACM0",
                        journal_dir=tmp_path, hub_url=hub_url, wall=lambda: HUB_TIME + timedelta(seconds=2.5),
                        press_timeout_s=0.05, min_free_bytes=1, **kwargs)


def test_everything_working_passes(factory, pinmap, tmp_path, hub_url):
    installer = Installer(factory, pinmap)
    checks = _run(factory, pinmap, installer, tmp_path, hub_url)
    assert [c.name for c in checks] == [
        "lamp a (green)", "lamp b (amber)", "lamp empty (red)", "lamp online (blue)", "buzzer",
        "button presence_a", "button presence_b", "button handover", "button done",
        "keypad", "journal space", "journal fsync", "hub"]
    assert all(c.ok for c in checks), report(checks)
    assert exit_code(checks) == 0
    assert checks[-1].detail.endswith("our clock is +2.5 s off the hub's")
    assert installer.prompts[0] == "Press presence A (到岗 A) now (0.05 s)."
    assert list(tmp_path.iterdir()) == []
    assert not any(factory.pin(pin).state for pin in [*pinmap.lamps.values(), pinmap.buzzer])


def test_a_missing_press_fails_its_row(factory, pinmap, tmp_path, hub_url):
    checks = _run(factory, pinmap, Installer(factory, pinmap, skip={"done"}), tmp_path, hub_url)
    rows = {c.name: c for c in checks}
    assert rows["button done"] == Check("button done", False, "no press within 0.05 s")
    assert all(c.ok for c in checks if c.name != "button done")
    assert exit_code(checks) == 1
    assert re.search(r"^button done +FAIL +no press within 0\.05 s$", report(checks), re.MULTILINE)


def test_swapped_buttons_fail_both_rows(factory, pinmap, tmp_path, hub_url):
    installer = Installer(factory, pinmap, swap={"handover": "done", "done": "handover"})
    rows = {c.name: c for c in _run(factory, pinmap, installer, tmp_path, hub_url)}
    assert rows["button handover"].detail == "got done instead (wires swapped?)"
    assert rows["button done"].detail == "got handover instead (wires swapped?)"
    assert rows["button presence_a"].ok


def test_a_stuck_button_fails(factory, pinmap, tmp_path, hub_url):
    installer = Installer(factory, pinmap)
    with Panel(pinmap, pin_factory=factory) as panel:
        factory.pin(pinmap.buttons["presence_b"]).drive_low()
        checks = selftest(panel, ask=installer.ask, say=installer.say, find_keypad=lambda: "x",
                          journal_dir=tmp_path, hub_url=hub_url, press_timeout_s=0.05)
    rows = {c.name: c for c in checks}
    assert rows["button presence_b"] == Check(
        "button presence_b", False, "held down before the prompt (stuck, or shorted to GND)")
    assert all(c.ok for c in checks if c.name != "button presence_b"), report(checks)


def test_a_dark_lamp_fails_its_row(factory, pinmap, tmp_path, hub_url):
    installer = Installer(factory, pinmap)
    answer = installer.ask
    installer.ask = lambda question: "n" if "red lamp" in question else answer(question)
    rows = {c.name: c for c in _run(factory, pinmap, installer, tmp_path, hub_url)}
    assert not rows["lamp empty (red)"].ok and rows["lamp a (green)"].ok


def test_keypad_disk_and_hub_faults(factory, pinmap, tmp_path):
    with Panel(pinmap, pin_factory=factory) as panel:
        checks = selftest(panel, ask=Installer(factory, pinmap).ask, say=lambda _: None, find_keypad=lambda: None,
                          journal_dir=tmp_path / "absent", hub_url="http://127.0.0.1:9", press_timeout_s=0.01)
    rows = {c.name: c for c in checks}
    assert rows["keypad"].detail.startswith("not found")
    assert not rows["journal disk"].ok and "absent" in rows["journal disk"].detail
    assert not rows["hub"].ok and "unreachable" in rows["hub"].detail


def test_too_little_space_fails(factory, pinmap, tmp_path, hub_url):
    rows = {c.name: c for c in _run(factory, pinmap, Installer(factory, pinmap), tmp_path, hub_url)}
    assert rows["journal space"].ok
    with Panel(pinmap, pin_factory=factory) as panel:
        checks = selftest(panel, ask=lambda _: "y", say=lambda _: None, find_keypad=lambda: "x",
                          journal_dir=tmp_path, hub_url=hub_url, press_timeout_s=0.01, min_free_bytes=2**62)
    assert not {c.name: c for c in checks}["journal space"].ok


def test_run_selftest_prints_the_table(factory, pinmap, tmp_path, hub_url):
    installer = Installer(factory, pinmap, skip={"presence_b"})
    printed = []

    def say(text):
        printed.append(text)
        installer.say(text)

    code = run_selftest(PINMAP, journal_dir=tmp_path, hub_url=hub_url, pin_factory=factory, ask=installer.ask,
                        say=say, find_keypad=lambda: "/dev/ttyACM0", press_timeout_s=0.05)
    assert code == 1
    assert printed[-1].splitlines()[-1] == "12 passed, 1 failed"
