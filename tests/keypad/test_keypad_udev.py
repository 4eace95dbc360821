"""Keypad hot-plug through pyudev, with umockdev presenting fake USB ttys (run under umockdev-wrapper)."""
import os
import sys
import threading
import time
import warnings

import pytest
import pyudev

from firmware.terminal.keypad import KeypadLink
from firmware.terminal.keypad_udev import KeypadWatcher, parse_usb_id, parse_usb_interface
from firmware.terminal.selftest import find_pico_keypad
from .keypad_mp import NodeKeypad, micropython_missing

pytestmark = pytest.mark.umockdev

if "libumockdev-preload" not in os.environ.get("LD_PRELOAD", ""):
    pytest.skip("needs umockdev-wrapper (scripts/test runs `-m umockdev` under it)", allow_module_level=True)

sys.path.append("/usr/lib/python3/dist-packages")
import gi  # noqa: E402  (Debian's python3-gi, outside the venv)

gi.require_version("UMockdev", "1.0")
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "DynamicImporter.exec_module", ImportWarning)  # PyGObject 3.42
    from gi.repository import UMockdev  # noqa: E402

USB_DEVICE = """P: /devices/pci0000:00/usb1/{port}
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
A: idVendor={vendor}
A: idProduct={product}
"""

USB_TTY = """
P: /devices/pci0000:00/usb1/{port}/{port}:1.{number}/tty/{name}
N: {name}
E: SUBSYSTEM=tty
E: DEVNAME=/dev/{name}
E: ID_VENDOR_ID={vendor}
E: ID_MODEL_ID={product}
E: ID_USB_INTERFACE_NUM={interface}
A: dev={majmin}
"""


class Bed:
    """A umockdev testbed with USB serial devices plugged and pulled by the test."""

    def __init__(self):
        self.testbed = UMockdev.Testbed.new()

    def plug(self, name, vendor="2e8a", product="0005", port="1-1", majmin="166:0", interface="02"):
        """Add a USB device with one tty (on USB interface *interface*) and announce it; the tty's sysfs path."""
        return self.plug_device(port, vendor, product, [(name, interface, majmin)])[name]

    def plug_device(self, port, vendor, product, ttys):
        """Add a USB device with *ttys* [(name, interface, "maj:min")]; {name: sysfs path of its tty}."""
        text = USB_DEVICE.format(port=port, vendor=vendor, product=product)
        paths = {}
        for name, interface, majmin in ttys:
            number = int(interface, 16)
            text += USB_TTY.format(port=port, number=number, name=name, vendor=vendor, product=product,
                                   interface=interface, majmin=majmin)
            paths[name] = f"/sys/devices/pci0000:00/usb1/{port}/{port}:1.{number}/tty/{name}"
        self.testbed.add_from_string(text)
        return paths

    def pull(self, sys_path):
        """Announce the tty's removal and remove it (and its USB device)."""
        self.testbed.uevent(sys_path, "remove")
        self.testbed.remove_device(sys_path)
        self.testbed.remove_device(sys_path.split("/tty/")[0].rsplit("/", 1)[0])

    def master_fd(self, name):
        """The pty master behind /dev/NAME (the keypad's side of the wire)."""
        return self.testbed.get_dev_fd(f"/dev/{name}")


class Plugs:
    """The attach/detach calls a watcher made, as a link would receive them."""

    def __init__(self):
        self.calls = []
        self.changed = threading.Condition()

    def attach(self, devnode):
        with self.changed:
            self.calls.append(("attach", devnode))
            self.changed.notify_all()

    def detach(self, devnode):
        with self.changed:
            self.calls.append(("detach", devnode))
            self.changed.notify_all()

    def wait(self, count, timeout=5.0):
        with self.changed:
            self.changed.wait_for(lambda: len(self.calls) >= count, timeout)
        return self.calls


@pytest.fixture
def bed():
    return Bed()


def test_watcher_attaches_only_keypads_present_at_start(bed):
    bed.plug("ttyACM0")
    bed.plug("ttyUSB0", vendor="0403", product="6001", port="1-2", majmin="188:0")
    bed.plug("ttyACM1", vendor="2e8a", product="000a", port="1-3", majmin="166:1")
    plugs = Plugs()
    watcher = KeypadWatcher().start(plugs)
    try:
        assert plugs.wait(1) == [("attach", "/dev/ttyACM0")]
        time.sleep(0.2)
        assert plugs.calls == [("attach", "/dev/ttyACM0")]
    finally:
        watcher.close()
        watcher.close()


def test_watcher_follows_hot_plug_add_and_remove_with_configured_ids(bed):
    vendor, product = parse_usb_id("1209:ABCD")
    plugs = Plugs()
    watcher = KeypadWatcher(vendor_id=vendor, product_id=product).start(plugs)
    try:
        bed.plug("ttyUSB3", vendor="0403", product="6001", port="1-2", majmin="188:3")
        path = bed.plug("ttyACM2", vendor="1209", product="abcd", majmin="166:2")
        assert plugs.wait(1) == [("attach", "/dev/ttyACM2")]
        bed.pull(path)
        assert plugs.wait(2)[1] == ("detach", "/dev/ttyACM2")
    finally:
        watcher.close()


def test_keypad_plugged_while_the_observer_thread_is_still_starting_is_not_missed(bed, monkeypatch):
    run = pyudev.MonitorObserver.run

    def slow_start(observer):
        time.sleep(0.5)  # a loaded machine: the thread runs well after start() returned
        run(observer)

    monkeypatch.setattr(pyudev.MonitorObserver, "run", slow_start)
    plugs = Plugs()
    watcher = KeypadWatcher().start(plugs)
    try:
        bed.plug("ttyACM0")
        assert plugs.wait(1, timeout=3) == [("attach", "/dev/ttyACM0")]
    finally:
        watcher.close()


def test_link_with_watcher_records_plug_unplug_replug_of_the_firmware(bed, facts):
    why = micropython_missing()
    if why:
        pytest.skip(why)
    path = bed.plug("ttyACM0")
    keypad = NodeKeypad(bed.master_fd("ttyACM0"))
    link = KeypadLink(watcher=KeypadWatcher(), timeout_s=5, retry_s=0.2).start(facts.report)
    try:
        assert facts.next() == ("keypad", {"attached": True, "firmware": "1.1.0"})
        link.prompt(7)
        keypad.wait_lamps({"rate": 1, "keys": [1, 2, 3, 4, 5], "prompt": 7})
        keypad.press(4)
        assert facts.next() == ("rating", {"service": 7, "score": 4})
        bed.pull(path)
        keypad.unplug()
        assert facts.next() == ("keypad", {"attached": False, "firmware": "1.1.0"})
        bed.plug("ttyACM1", port="1-4", majmin="166:1")
        keypad = NodeKeypad(bed.master_fd("ttyACM1"))
        assert facts.next() == ("keypad", {"attached": True, "firmware": "1.1.0"})
        link.prompt(8)
        keypad.wait_lamps({"rate": 1, "keys": [1, 2, 3, 4, 5], "prompt": 8})
        keypad.press(2)
        assert facts.next() == ("rating", {"service": 8, "score": 2})
    finally:
        link.close()
        keypad.unplug()


PICO_WITH_DATA_PORT = [("ttyACM0", "00", "166:0"), ("ttyACM1", "02", "166:1")]  # REPL, then the keypad's port


@pytest.mark.parametrize("plugged", ["before start", "while watching"])
@pytest.mark.parametrize("interface, devnode", [("02", "/dev/ttyACM1"), ("00", "/dev/ttyACM0")])
def test_pico_with_repl_and_data_port_attaches_only_the_configured_interface(bed, plugged, interface, devnode):
    if plugged == "before start":
        bed.plug_device("1-1", "2e8a", "0005", PICO_WITH_DATA_PORT)
    plugs = Plugs()
    watcher = KeypadWatcher(interface=parse_usb_interface(interface)).start(plugs)
    try:
        if plugged == "while watching":
            bed.plug_device("1-1", "2e8a", "0005", PICO_WITH_DATA_PORT)
        assert plugs.wait(1) == [("attach", devnode)]
        time.sleep(0.3)
        assert plugs.calls == [("attach", devnode)]
    finally:
        watcher.close()


def test_default_watcher_takes_the_data_port_not_the_repl(bed):
    bed.plug("ttyACM0", interface="00")
    bed.plug("ttyACM1", port="1-2", majmin="166:1", interface="02")
    plugs = Plugs()
    watcher = KeypadWatcher().start(plugs)
    try:
        assert plugs.wait(1) == [("attach", "/dev/ttyACM1")]
        time.sleep(0.2)
        assert plugs.calls == [("attach", "/dev/ttyACM1")]
    finally:
        watcher.close()


@pytest.mark.parametrize("interface, devnode", [("02", "/dev/ttyACM1"), ("00", "/dev/ttyACM0")])
def test_selftest_looks_for_the_keypad_on_the_configured_interface(bed, interface, devnode):
    assert find_pico_keypad(KeypadWatcher(interface=interface)) is None
    bed.plug_device("1-1", "2e8a", "0005", PICO_WITH_DATA_PORT)
    assert find_pico_keypad(KeypadWatcher(interface=interface)) == devnode


@pytest.mark.parametrize("text", ["2e8a", "2e8a:5", "2e8a:00050", "zzzz:0005", "2e8a-0005"])
def test_malformed_usb_id_is_refused_naming_it(text):
    with pytest.raises(ValueError, match="keypad_usb_id"):
        parse_usb_id(text)


@pytest.mark.parametrize("text", ["2", "002", "0x2", "zz", ""])
def test_malformed_usb_interface_is_refused_naming_it(text):
    with pytest.raises(ValueError, match="keypad_usb_interface"):
        parse_usb_interface(text)
