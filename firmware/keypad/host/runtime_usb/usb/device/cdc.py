"""Stand-in for micropython-lib's ``usb.device.cdc`` (package usb-device-cdc): a second USB serial port.

``CDCInterface`` answers what the keypad uses with the real class's meanings: ``CDCInterface(timeout=ms)``,
``is_open()``, ``dtr``, ``read(size)`` → bytes or None when nothing waits, ``write(buf)`` → count. What the
firmware writes is kept whether or not a host has the port open, as the real transmit buffer keeps it.
The test plays the terminal on the USB host with ``host_open()``, ``host_send()`` and ``host_take()``.
"""


class CDCInterface:
    """One CDC ACM serial port of the device."""

    def __init__(self, timeout=1000, **line_settings):
        self.timeout = timeout
        self.line_settings = line_settings
        self._open = False
        self._dtr = False
        self._from_host = b""
        self._to_host = b""

    def enumerated(self):
        """The USB host configured the device (called by the stand-in ``init``)."""
        self._open = True

    def is_open(self):
        """True once the USB host has configured the interface."""
        return self._open

    @property
    def dtr(self):
        """True while a program on the host holds the port open."""
        return self._dtr

    def read(self, size):
        """Up to *size* bytes the host sent, or None."""
        data, self._from_host = self._from_host[:size], self._from_host[size:]
        return data or None

    def write(self, buf):
        """Queue *buf* for the host; the number of bytes taken."""
        self._to_host += bytes(buf)
        return len(buf)

    def host_open(self, dtr=True):
        """The terminal opens (or, with ``dtr=False``, closes) its tty for this port."""
        self._dtr = dtr

    def host_send(self, data):
        """The terminal writes *data* to this port."""
        self._from_host += data

    def host_take(self):
        """What the firmware wrote to this port since the last call."""
        data, self._to_host = self._to_host, b""
        return data
