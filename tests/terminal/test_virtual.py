"""The virtual panel channel over a real Unix socket, on gpiozero's MockFactory pins."""
import json
import socket

import pytest
from gpiozero.pins.mock import MockFactory

from firmware.terminal.panel import Panel
from firmware.terminal.pinmap import load_pinmap
from firmware.terminal.virtual import VirtualPanel
from firmware.sim.window import PINMAP


@pytest.fixture
def panel():
    factory = MockFactory()
    with Panel(load_pinmap(PINMAP), pin_factory=factory) as mock_panel:
        yield mock_panel
    factory.close()


def _ask(path, command):
    with socket.socket(socket.AF_UNIX) as channel:
        channel.settimeout(5)
        channel.connect(str(path))
        channel.sendall((command if isinstance(command, str) else json.dumps(command)).encode() + b"\n")
        return json.loads(channel.makefile().readline())


def test_a_press_drives_the_button_pin_and_lamps_are_read_back(panel, tmp_path):
    presses = []
    panel.buttons["handover"].when_pressed = lambda: presses.append("handover")
    panel.lamps["b"].on()
    path = tmp_path / "panel.sock"
    with VirtualPanel(str(path), panel=panel) as channel:
        assert channel.start() is channel            # idempotent
        answer = _ask(path, {"press": "handover"})
        assert presses == ["handover"]
        assert not panel.buttons["handover"].is_pressed
        assert answer["lamps"]["b"] is True and answer["lamps"]["a"] is False and answer["buzzer"] is False
    assert not path.exists()


@pytest.mark.parametrize("command, problem", [
    ("not json", "not JSON"), ("[1]", "JSON object"), ({"press": "coffee"}, "unknown button"),
    ({"dance": True}, "expected 'press' or 'lamps'"),
])
def test_bad_commands_are_answered_with_the_problem(panel, tmp_path, command, problem):
    path = tmp_path / "panel.sock"
    with VirtualPanel(str(path), panel=panel):
        assert problem in _ask(path, command)["error"]
