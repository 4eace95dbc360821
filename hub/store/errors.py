"""The store's errors: one flat hierarchy, messages naming the field or value."""


class StoreError(Exception):
    """Base class of every error raised by :mod:`hub.store`."""


class Conflict(StoreError):
    """A push contradicts what the hub already holds (same seq, other content; a reset journal)."""


class JournalReset(Conflict):
    """A terminal's journal has a new store id but claims seqs the hub already holds."""


class UnknownTerminal(StoreError, LookupError):
    """No enrolled (and unrevoked) terminal has this id."""


class BadEnrolmentCode(StoreError):
    """An enrolment code is unknown, already used or expired."""


class DatabaseExposed(StoreError):
    """A database file other local users may read or write (the session secret, keys and hashes are in it)."""


class FutureFact(StoreError):
    """A fact would be timed after the hub's own time (plus its allowance): a false or broken clock anchor."""
