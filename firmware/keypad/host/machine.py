"""Stand-in for MicroPython's ``machine`` in the host runner: Pins whose levels tests drive and read."""


class Pin:
    """A GPIO pin with the real constructor; ``Pin.made[id]`` is the latest Pin made for that GPIO."""

    IN = 0
    OUT = 1
    PULL_UP = 1
    PULL_DOWN = 2
    made = {}

    def __init__(self, id, mode=IN, pull=None, value=None):
        self.id = id
        self.mode = mode
        self.pull = pull
        self._level = 1 if pull == Pin.PULL_UP else 0
        if value is not None:
            self._level = 1 if value else 0
        Pin.made[id] = self

    def value(self, level=None):
        """Read the level, or set it (outputs) when *level* is given."""
        if level is None:
            return self._level
        self._level = 1 if level else 0

    def __call__(self, level=None):
        return self.value(level)

    def on(self):
        """Drive high."""
        self._level = 1

    def off(self):
        """Drive low."""
        self._level = 0

    def drive(self, level):
        """What the outside world does to an input: a key pulling it low (0) or letting go (1)."""
        self._level = level


class USBDevice:
    """The rp2 port's runtime USB device (MicroPython >= 1.23); ``runtime_usb/usb/device`` builds on it."""
