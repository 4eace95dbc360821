"""The keypad's own USB serial port (a second CDC ACM interface, runtime USB) as its link to the terminal."""
from micropython import const

READ_MAX = const(128)


class CdcLink:
    """Frames over *data_port* (a ``usb.device.cdc.CDCInterface`` made with ``timeout=0``), never the REPL.

    Reads never block. Frames written while no terminal holds the port open (DTR low) are dropped, so a
    terminal that opens the port later does not receive stale keys; it asks IDENT and gets HELLO.
    """

    def __init__(self, data_port):
        self._port = data_port

    def read(self):
        """The bytes waiting now (up to READ_MAX), or b""."""
        return bytes(self._port.read(READ_MAX) or b"")

    def write(self, data):
        """Send *data* to the terminal if one has the port open."""
        if self._port.dtr:
            self._port.write(data)
