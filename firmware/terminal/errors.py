"""The errors of the window terminal: one flat hierarchy, messages naming the key or value at fault."""


class TerminalError(Exception):
    """Base class of every error raised by :mod:`firmware.terminal`."""


class PinMapError(TerminalError, ValueError):
    """The pin map is invalid; the message starts with the key (``buttons.done``)."""


class EnrolError(TerminalError, RuntimeError):
    """The hub refused or could not complete the terminal's enrolment."""
