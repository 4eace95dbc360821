"""The errors of the window terminal: one flat hierarchy, messages naming the key or value at fault."""


class TerminalError(Exception):
    """Base class of every error raised by :mod:`firmware.terminal`."""


class PinMapError(TerminalError, ValueError):
    """The pin map is invalid; the message starts with the key (``buttons.done``)."""


class EnrolError(TerminalError, RuntimeError):
    """The hub refused or could not complete the terminal's enrolment."""


class JournalError(TerminalError, OSError):
    """The journal cannot do what was asked; the message names the file or value at fault."""


class JournalFull(JournalError):
    """Appending would grow the journal past its ``max_bytes``: sync and compact, never drop facts."""


class JournalCorrupt(JournalError):
    """A journal file is damaged beyond a torn last line; the message names the file and line."""


class JournalLocked(JournalError):
    """Another process has the journal open: it has one writer."""


class HubError(TerminalError, OSError):
    """An exchange with the hub did not succeed; the message names the request and what went wrong."""


class HubUnreachable(HubError):
    """The hub could not be reached, timed out, failed (5xx) or answered something unreadable; *retry_after_s*:
    how long the hub asked to be left alone (a 503's Retry-After), if it said."""

    def __init__(self, message, retry_after_s=None):
        super().__init__(message)
        self.retry_after_s = retry_after_s


class HubRefused(HubError):
    """The hub refused the request (4xx): a bad fact, a bad key, an unknown terminal. Retrying won't help."""


class SettingsError(TerminalError, ValueError):
    """The terminal's settings file (terminal.toml) is invalid; the message names the key."""
