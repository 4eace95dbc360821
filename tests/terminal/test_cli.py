"""``hallpost terminal run/status/export`` as real processes on mock pins, driven through the virtual panel."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from firmware.terminal.errors import SettingsError
from firmware.terminal.settings import load_settings
from tests.terminal.conftest import ROOT


def hallpost(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "protocol.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, **kwargs)


@pytest.fixture
def settings_file(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_text(f"""
[terminal]
id = "win-01"
journal = "journal"
pinmap = "{ROOT / 'hardware' / 'pinmap.toml'}"
hall_config = "{ROOT / 'hardware' / 'hall' / 'hall.toml'}"
pin_factory = "mock"
keypad = false
""", encoding="utf-8")
    return path


def ask(sock_path, request):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(20)
        sock.connect(str(sock_path))
        sock.sendall((json.dumps(request) + "\n").encode())
        return json.loads(sock.makefile().readline())


def test_run_press_through_the_virtual_panel_then_export_and_status(settings_file, tmp_path):
    sock = tmp_path / "panel.sock"
    simulated = {"HALLPOST_VIRTUAL_PANEL": str(sock), "HALLPOST_BOOT_ID": "simboot",
                 "HALLPOST_CLOCK": "scaled:2026-11-24T09:00:00+08:00@1x"}          # as the hall simulator sets them
    process = subprocess.Popen(
        [sys.executable, "-m", "protocol.cli", "terminal", "run", "--config", str(settings_file)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ, **simulated))
    try:
        deadline = time.monotonic() + 30
        while not sock.exists():
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "the terminal did not open its virtual panel"
            time.sleep(0.05)
        answer = ask(sock, {"press": "presence_a"})
        assert answer["lamps"]["a"] is True and answer["lamps"]["b"] is False
        live = hallpost("terminal", "export", "--config", str(settings_file))   # a snapshot while it runs
        assert live.returncode == 0, live.stderr
        assert [json.loads(line)["kind"] for line in live.stdout.splitlines()] == ["boot", "presence"]
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    exported = hallpost("terminal", "export", "--config", str(settings_file))
    assert exported.returncode == 0, exported.stderr
    facts = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [(f["seq"], f["kind"], f["boot"]) for f in facts] == [(1, "boot", "simboot"), (2, "presence", "simboot")]
    assert facts[1]["post"] == "A" and facts[1]["on"] is True and facts[1]["wall"].startswith("2026-11-24T09:00")
    shown = hallpost("terminal", "status", "--config", str(settings_file), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["unsynced"] == 2
    card = tmp_path / "old-card"                          # a dead terminal's card, mounted on another machine
    (tmp_path / "journal").rename(card)
    from_card = hallpost("terminal", "export", "--config", str(settings_file), "--journal", str(card))
    assert from_card.returncode == 0, from_card.stderr
    assert [json.loads(line) for line in from_card.stdout.splitlines()] == facts



def test_run_with_a_clock_that_hallpost_clock_does_not_name_exits_2_quoting_it(settings_file):
    done = hallpost("terminal", "run", "--config", str(settings_file),
                    env=dict(os.environ, HALLPOST_CLOCK="scaled:2026-11-24T09:00:00+08:00"))
    assert done.returncode == 2
    assert done.stderr.startswith("hallpost terminal run: HALLPOST_CLOCK: 'scaled:2026-11-24T09:00:00+08:00' is not ")


def test_the_production_run_command_has_no_simulator_flags():
    done = hallpost("terminal", "run", "--help")
    assert done.returncode == 0 and "--keypad-tty" in done.stdout
    assert [flag for flag in ("--virtual", "--boot-id", "--clock-") if flag in done.stdout] == []


BASE_SETTINGS = '[terminal]\nid = "win-01"\njournal = "j"\npinmap = "p.toml"\n'


@pytest.mark.parametrize("extra, message", [
    ('pin_factory = "lgpio"\n', "terminal.pin_factory"),
    ('hub = "http://h"\n', "terminal.key_file"),
    ("batch = 5\n", "terminal.batch: unknown key"),
    ('keypad_usb_id = "2e8a"\n', "terminal.keypad_usb_id: expected vvvv:pppp"),
])
def test_settings_name_the_key_at_fault(tmp_path, extra, message):
    path = tmp_path / "terminal.toml"
    path.write_text(BASE_SETTINGS + extra)
    with pytest.raises(SettingsError, match=message):
        load_settings(path)


def test_keypad_usb_id_is_configurable(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_text(BASE_SETTINGS + 'keypad_usb_id = "1209:ABCD"\n')
    assert load_settings(path).keypad_usb_id == "1209:ABCD"


def test_the_example_settings_load():
    settings = load_settings(ROOT / "firmware" / "terminal" / "terminal.example.toml")
    assert settings.terminal == "win-01" and settings.hub_url.startswith("http")


def test_help_lists_the_terminal_commands():
    shown = hallpost("terminal", "--help")
    assert shown.returncode == 0
    for command in ("run", "status", "export", "enrol", "selftest"):
        assert command in shown.stdout
    missing = hallpost("terminal", "status", "--config", "/nonexistent.toml")
    assert missing.returncode == 2 and "/nonexistent.toml" in missing.stderr
