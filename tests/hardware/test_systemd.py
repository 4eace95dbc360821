"""The systemd units parse cleanly under `systemd-analyze verify` and carry the settings the kit relies on."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "hardware" / "systemd"
INSTALLED_BINARY = "/opt/hallpost/venv/bin/hallpost"


def _unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def _verify(unit_text: str, tmp_path: Path, name: str) -> subprocess.CompletedProcess:
    """Verify a copy of a unit whose ExecStart points at a stand-in binary inside tmp_path."""
    binary = tmp_path / "venv" / "bin" / "hallpost"
    binary.parent.mkdir(parents=True, exist_ok=True)
    binary.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    binary.chmod(0o755)
    unit = tmp_path / name
    unit.write_text(unit_text.replace(INSTALLED_BINARY, str(binary)), encoding="utf-8")
    return subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)


needs_systemd_analyze = pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                                           reason="systemd-analyze not installed (Debian package systemd)")


@needs_systemd_analyze
@pytest.mark.parametrize("name", ["hallpost-terminal.service", "hallpost-hub.service",
                                  "hallpost-hub-background.service"])
def test_unit_passes_systemd_analyze_verify(name, tmp_path):
    text = (UNITS / name).read_text(encoding="utf-8")
    assert INSTALLED_BINARY in text
    result = _verify(text, tmp_path, name)
    complaints = [line for line in result.stderr.splitlines() if name in line]
    assert result.returncode == 0 and not complaints, result.stderr


@needs_systemd_analyze
def test_verify_catches_a_mistyped_setting(tmp_path):
    text = (UNITS / "hallpost-hub.service").read_text(encoding="utf-8").replace("RestartSec=", "RestartSecs=")
    result = _verify(text, tmp_path, "hallpost-hub.service")
    assert "Unknown key 'RestartSecs'" in result.stderr


def test_terminal_unit_restarts_under_a_watchdog_as_an_unprivileged_gpio_user():
    service = _unit("hallpost-terminal.service")["Service"]
    assert service["Type"] == "notify"
    assert service["Restart"] == "on-failure"
    assert service["WatchdogSec"] == "30s"
    assert service["User"] == "hallpost"
    assert set(service["SupplementaryGroups"].split()) == {"gpio", "dialout"}
    assert service["StateDirectory"] == "hallpost"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["CapabilityBoundingSet"] == ""


def test_hub_unit_runs_unprivileged_and_restarts():
    service = _unit("hallpost-hub.service")["Service"]
    assert service["User"] == "hallpost"
    assert service["Restart"] == "on-failure"
    assert service["PrivateDevices"] == "yes"


def test_the_background_unit_does_the_hubs_background_work_for_the_same_database():
    """``hub background`` on the database, and with the public URL, that ``hub serve`` is given (both from hub.env),
    as the same unprivileged user, after the hub."""
    serve, background = _unit("hallpost-hub.service"), _unit("hallpost-hub-background.service")
    assert background["Service"]["ExecStart"].split() == [
        INSTALLED_BINARY, "hub", "background", "--database", "${HALLPOST_DATABASE}", "\\", "--public-url",
        "${HALLPOST_PUBLIC_URL}", "$HALLPOST_BACKGROUND_OPTIONS"]
    assert "--public-url ${HALLPOST_PUBLIC_URL}" in serve["Service"]["ExecStart"]
    for key in ("EnvironmentFile", "User", "Restart", "ProtectSystem", "SystemCallFilter", "WorkingDirectory"):
        assert background["Service"][key] == serve["Service"][key], key
    assert "hallpost-hub.service" in background["Unit"]["After"].split()
    assert background["Service"]["Nice"] == "5" and "Nice" not in serve["Service"], "serving comes first"
