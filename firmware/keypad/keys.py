"""Five rating keys on GPIO inputs with pull-ups (pressed reads low), debounced in firmware."""
import time

from micropython import const

DEBOUNCE_MS = const(30)


class Keys:
    """Keys 1-5 on *pins* (``pins[0]`` is key 1 非常不满意 … ``pins[4]`` key 5 非常满意).

    A key counts as pressed once its pin has read low for ``debounce_ms`` without a change, and can be
    pressed again only after it has read high as long: a held or bouncing key gives one press.
    """

    def __init__(self, pins, debounce_ms=DEBOUNCE_MS):
        self._pins = pins
        self._debounce_ms = debounce_ms
        self._down = [False] * len(pins)
        self._raw = [False] * len(pins)
        self._since = [0] * len(pins)

    def poll(self, now):
        """The keys newly pressed at *now* (``time.ticks_ms()``), lowest first; call every few ms."""
        pressed = []
        for index, pin in enumerate(self._pins):
            raw = pin.value() == 0
            if raw != self._raw[index]:
                self._raw[index] = raw
                self._since[index] = now
            elif raw != self._down[index] and time.ticks_diff(now, self._since[index]) >= self._debounce_ms:
                self._down[index] = raw
                if raw:
                    pressed.append(index + 1)
        return pressed
