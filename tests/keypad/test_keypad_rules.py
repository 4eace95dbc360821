"""The udev rule names the same keypad the terminal looks for and hands it to the service's group."""
import re
from pathlib import Path

from firmware.terminal.keypad_udev import PRODUCT_ID, VENDOR_ID

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"


def rule_keys():
    lines = [line for line in (HARDWARE / "99-hallpost-keypad.rules").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 1
    return dict(re.findall(r'([A-Z_]+(?:\{\w+\})?)[=+!]=?"([^"]*)"', lines[0]))


def test_rule_matches_the_ids_the_watcher_looks_for():
    keys = rule_keys()
    assert (keys["SUBSYSTEM"], keys["ATTRS{idVendor}"], keys["ATTRS{idProduct}"]) == ("tty", VENDOR_ID, PRODUCT_ID)


def test_rule_gives_the_stable_name_and_the_terminal_services_group():
    keys = rule_keys()
    service = (HARDWARE / "systemd" / "hallpost-terminal.service").read_text()
    group = re.search(r"^Group=(\S+)$", service, re.M).group(1)
    assert keys["SYMLINK"] == "hallpost-keypad"
    assert (keys["GROUP"], keys["MODE"]) == (group, "0660")
    assert keys["ENV{ID_MM_DEVICE_IGNORE}"] == "1"
