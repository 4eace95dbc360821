"""The keypad's rating flow (办结评价): terminal frames in, lamps, one rating per prompt, frames out."""
import time

from micropython import const
from protocol import serial

VERSION = "1.1.0"
CONFIRM_MS = const(1500)
ALL_KEYS = (1, 2, 3, 4, 5)


class RatingKeypad:
    """Runs the prompt → key → RATE flow over *link* (``read()`` → bytes, ``write(bytes)``).

    A PROMPT lights "please rate" and every key lamp until a key, a CANCEL for that service, a newer
    PROMPT or the timeout; the first key sends RATE and lights only its own lamp for ``confirm_ms``; a
    timeout or cancel lights nothing. Keys pressed with no prompt open are sent as STRAY.
    """

    def __init__(self, keys, lamps, link, version=VERSION, confirm_ms=CONFIRM_MS):
        self._keys = keys
        self._lamps = lamps
        self._link = link
        self._version = version
        self._confirm_ms = confirm_ms
        self._decoder = serial.Decoder()
        self.service = None
        self._deadline = 0
        self._confirm_until = None

    def start(self):
        """Announce the firmware with HELLO, lamps off."""
        self._lamps.show()
        self._send(serial.HELLO, self._version)

    def step(self, now):
        """Handle what arrived, the keys and the clock at *now* (``time.ticks_ms()``)."""
        data = self._link.read()
        if data:
            for kind, args in self._decoder.feed(data):
                self._on_frame(kind, args, now)
        for key in self._keys.poll(now):
            self._on_key(key, now)
        self._expire(now)

    def _send(self, kind, *args):
        self._link.write(serial.encode(kind, *args))

    def _on_frame(self, kind, args, now):
        if kind == serial.PROMPT:
            self.service = args[0]
            self._deadline = time.ticks_add(now, args[1] * 1000)
            self._confirm_until = None
            self._lamps.show(True, ALL_KEYS)
        elif kind == serial.CANCEL and args[0] == self.service:
            self._close()
        elif kind == serial.PING:
            self._send(serial.PONG, args[0])
        elif kind == serial.IDENT:
            self._send(serial.HELLO, self._version)

    def _on_key(self, key, now):
        if self.service is None:
            self._send(serial.STRAY, key)
            return
        self._send(serial.RATE, self.service, key)
        self.service = None
        self._lamps.show(False, (key,))
        self._confirm_until = time.ticks_add(now, self._confirm_ms)

    def _expire(self, now):
        if self.service is not None and time.ticks_diff(now, self._deadline) >= 0:
            self._close()
        if self._confirm_until is not None and time.ticks_diff(now, self._confirm_until) >= 0:
            self._close()

    def _close(self):
        self.service = None
        self._confirm_until = None
        self._lamps.show()
