"""The udev rule names the same keypad port the terminal looks for and hands it to the service's group."""
import re
from pathlib import Path

from firmware.terminal.keypad_udev import DATA_INTERFACE, PRODUCT_ID, VENDOR_ID

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"


def rules():
    """Each rule line as {key: value}."""
    lines = [line for line in (HARDWARE / "99-hallpost-keypad.rules").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    return [dict(re.findall(r'([A-Z_]+(?:\{\w+\})?)[=+!]=?"([^"]*)"', line)) for line in lines]


def test_every_rule_matches_the_ids_the_watcher_looks_for():
    for keys in rules():
        assert (keys["SUBSYSTEM"], keys["ATTRS{idVendor}"], keys["ATTRS{idProduct}"]) == ("tty", VENDOR_ID, PRODUCT_ID)


def test_modem_manager_leaves_both_the_repl_and_the_data_port_alone():
    ignoring = [keys for keys in rules() if keys.get("ENV{ID_MM_DEVICE_IGNORE}") == "1"]
    assert ignoring and all("ENV{ID_USB_INTERFACE_NUM}" not in keys for keys in ignoring)


def test_only_the_data_port_gets_the_stable_name_and_the_terminal_services_group():
    named = [keys for keys in rules() if "SYMLINK" in keys]
    service = (HARDWARE / "systemd" / "hallpost-terminal.service").read_text()
    group = re.search(r"^Group=(\S+)$", service, re.M).group(1)
    assert len(named) == 1
    keys = named[0]
    assert keys["ENV{ID_USB_INTERFACE_NUM}"] == DATA_INTERFACE
    assert keys["SYMLINK"] == "hallpost-keypad"
    assert (keys["GROUP"], keys["MODE"]) == (group, "0660")
