"""The Pico's USB serial (CDC) as the keypad's link to the terminal: non-blocking reads, plain writes."""
import select
import sys

from micropython import const

READ_MAX = const(128)


class UsbLink:
    """Reads what the terminal sent without blocking; writes frames to it."""

    def __init__(self, stdin=sys.stdin, stdout=sys.stdout):
        self._in = stdin.buffer
        self._out = stdout.buffer
        self._poll = select.poll()
        self._poll.register(stdin, select.POLLIN)

    def read(self):
        """The bytes waiting now (up to READ_MAX), or b""."""
        data = b""
        while len(data) < READ_MAX and self._poll.poll(0):
            data += self._in.read(1)
        return data

    def write(self, data):
        """Send *data* to the terminal."""
        self._out.write(data)
