"""Stand-in for micropython-lib's ``usb.device`` (package usb-device) in the host runner's VFS.

It plays a board with runtime USB (MicroPython >= 1.23): ``get()`` is the one USB device, and its
``init(*interfaces, builtin_driver=...)`` records what the firmware asked for and opens each interface,
as a USB host enumerating the device would. Only ``run.mjs --runtime-usb`` puts it on the path.
"""
import machine

_device = None


class _Device:
    """The USB device as the firmware configures it; tests read ``interfaces`` and ``builtin_driver``."""

    def __init__(self):
        self._usbd = machine.USBDevice()
        self.interfaces = ()
        self.builtin_driver = None

    def init(self, *interfaces, builtin_driver=False):
        """Re-enumerate with *interfaces* added (after the REPL's own serial port if *builtin_driver*)."""
        self.interfaces = interfaces
        self.builtin_driver = builtin_driver
        for interface in interfaces:
            interface.enumerated()


def get():
    """The USB device (made on first use, as the real singleton getter does)."""
    global _device
    if _device is None:
        _device = _Device()
    return _device
