"""The store's errors: one flat hierarchy, messages naming the field or value."""


class StoreError(Exception):
    """Base class of every error raised by :mod:`hub.store`."""


class Conflict(StoreError):
    """A write contradicts what the hub already holds (a push: same seq, other content, a reset journal; a
    follow-up closed already)."""


class JournalReset(Conflict):
    """A terminal's journal has a new store id but claims seqs the hub already holds."""


class AlreadyClosed(Conflict):
    """The follow-up of a rating was closed already (by another office user, maybe at the same moment)."""


class UnknownTerminal(StoreError, LookupError):
    """No enrolled (and unrevoked) terminal has this id."""


class BadEnrolmentCode(StoreError):
    """An enrolment code is unknown, already used or expired."""


class DatabaseExposed(StoreError):
    """A database file other local users may read or write (the session secret, keys and hashes are in it)."""


class FutureFact(StoreError):
    """A fact would be timed after the hub's own time (plus its allowance): a false or broken clock anchor."""


class DatabaseBusy(StoreError):
    """The database could not take this write now (a lock held past the wait, a deadlock, a serialization
    failure, every pooled connection in use); the transaction was rolled back, nothing of it is stored."""

    retry_after_s = 2           # how soon a retry may find the database free


class DatabaseUnreachable(DatabaseBusy):
    """The database server could not be reached at all (down, wrong address, refused): no connection was made."""


class InspectionClosed(Conflict):
    """An inspection's sheets are final: it was closed (by another office user, maybe at the same moment)."""
