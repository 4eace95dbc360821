"""Chooses the keypad's link at boot: its own USB data port when the board has runtime USB, else the REPL."""
import machine
from cdc_link import CdcLink
from usb_link import UsbLink


def open_link():
    """A CdcLink on a second USB serial port (MicroPython >= 1.23 with micropython-lib's usb-device-cdc).

    Falls back to a UsbLink on the REPL console when the firmware has no ``machine.USBDevice`` or
    ``usb.device.cdc`` is not installed. The REPL's built-in port stays, for mpremote.
    """
    if not hasattr(machine, "USBDevice"):
        return UsbLink()
    try:
        import usb.device
        from usb.device.cdc import CDCInterface
    except ImportError:
        return UsbLink()
    data_port = CDCInterface(timeout=0)
    usb.device.get().init(data_port, builtin_driver=True)
    return CdcLink(data_port)
