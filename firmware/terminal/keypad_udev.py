"""Finds the evaluation keypad with pyudev by USB vendor/product id and interface, at start and on hot-plug.

A Pico running MicroPython enumerates as ``2e8a:0005``. With runtime USB (MicroPython >= 1.23 and
micropython-lib's usb-device-cdc) it has two ``ttyACM`` nodes: the REPL on USB interface ``00`` and the
keypad's data port on interface ``02``; older firmware speaks over the REPL, interface ``00``. udev's
``usb_id`` puts ``ID_VENDOR_ID``/``ID_MODEL_ID``/``ID_USB_INTERFACE_NUM`` on the tty device. Other ids are
configured as ``"vvvv:pppp"`` (:func:`parse_usb_id`), the interface as two hex digits
(:func:`parse_usb_interface`). The watcher tells a link ``attach(devnode)`` for each matching tty present
at start or added later, and ``detach(devnode)`` for each tty removed (the link ignores nodes it does not
know, so a remove event need not carry the ids any more).
"""
import logging

import pyudev

log = logging.getLogger(__name__)

VENDOR_ID = "2e8a"
PRODUCT_ID = "0005"
DATA_INTERFACE = "02"             # the keypad's own CDC port; "00" is the REPL (the link of older firmware)
HEX = "0123456789abcdef"


def parse_usb_id(text):
    """``"2e8a:0005"`` → ``("2e8a", "0005")``; ValueError names a malformed id."""
    parts = text.strip().lower().split(":")
    if len(parts) != 2 or not all(len(part) == 4 and all(c in HEX for c in part) for part in parts):
        raise ValueError(f"keypad_usb_id: expected vvvv:pppp in hex, got {text!r}")
    return parts[0], parts[1]


def parse_usb_interface(text):
    """``"02"`` → ``"02"`` (udev's ``ID_USB_INTERFACE_NUM``); ValueError names a malformed number."""
    number = text.strip().lower()
    if len(number) != 2 or not all(c in HEX for c in number):
        raise ValueError(f"keypad_usb_interface: expected two hex digits (02 data port, 00 REPL), got {text!r}")
    return number


class KeypadWatcher:
    """Watches udev's tty devices for the keypad's vendor/product id and interface; tells a link about them."""

    def __init__(self, *, vendor_id=VENDOR_ID, product_id=PRODUCT_ID, interface=DATA_INTERFACE, context=None):
        self.vendor_id = vendor_id.lower()
        self.product_id = product_id.lower()
        self.interface = interface.lower()
        self.context = context or pyudev.Context()
        self._observer = None
        self._link = None

    def matches(self, device):
        """True if *device* (a pyudev Device) is the tty of a keypad with our ids on our USB interface."""
        if device.subsystem != "tty" or device.device_node is None:
            return False
        properties = device.properties
        return (properties.get("ID_VENDOR_ID", "").lower() == self.vendor_id
                and properties.get("ID_MODEL_ID", "").lower() == self.product_id
                and properties.get("ID_USB_INTERFACE_NUM", "").lower() == self.interface)

    def handle(self, device):
        """React to one udev event (or a device found at start, whose action is None)."""
        if device.action == "remove":
            if device.subsystem == "tty" and device.device_node is not None:
                self._link.detach(device.device_node)
        elif device.action in (None, "add", "change") and self.matches(device):
            log.info("keypad at %s (%s)", device.device_node, device.sys_path)
            self._link.attach(device.device_node)

    def start(self, link):
        """Listen for hot-plug first, then attach the keypads already there."""
        self._link = link
        monitor = pyudev.Monitor.from_netlink(self.context)
        monitor.filter_by("tty")
        monitor.start()  # bound now: the observer thread would bind only when it runs, missing early plugs
        self._observer = pyudev.MonitorObserver(monitor, callback=self.handle, name="keypad-udev")
        self._observer.start()
        for device in self.context.list_devices(subsystem="tty", ID_VENDOR_ID=self.vendor_id):
            self.handle(device)
        return self

    def close(self):
        """Stop listening (joins the observer thread); safe to call twice."""
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
