"""The deriver: the one writer of projections and the one taker of the day's inspections (R7 两督查两抽查).

Reads never derive: ``store.projections`` and ``store.reports`` only read the rows derived so far. The
rows are written here alone, under one lock per process held a window-day at a time (a page asking for its
span, or an inspection falling due, waits for one window-day, never the background's whole backlog: a city's
hub after an outage had its login page wait a minute); processes sharing a database take each dirty
window-day from the store's queue (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, SQLite's write lock):

- :func:`catch_up` derives the dirty window-days of a span now. A page asks it first, on its own
  connection, so it shows a push at once; the background :class:`Deriver` calls it every few seconds,
  so reports open on rows already fresh.
- :func:`take_due_inspections` takes the inspections that have fallen due (:mod:`hub.inspections` says
  when), from the background loop and from the first admin request after; each slot is taken once, its
  snapshot showing the windows at its due time however late it is taken.

A database too busy for the background loop (DatabaseBusy: its writes rolled back) is tried again on the
next round; the loop never ends for it.
"""
import threading
import time

from .background import BackgroundLoop
from .inspections import take_due

_WRITER = threading.Lock()


def catch_up(store, *, start=None, end=None, window=None, hall=None, budget_s=None):
    """Derive the dirty window-days of ISO days *start*..*end* (all by default), of *window*, of *hall*; return
    how many. The lock is held one window-day at a time, so a page never waits for a whole backlog; with a
    *budget_s*, none is begun once that many seconds have passed (the rest are left to the background deriver)."""
    deadline = None if budget_s is None else time.monotonic() + budget_s
    return store.projections.derive_dirty(start=start, end=end, window=window, hall=hall, turn=lambda: _WRITER,
                                          more=None if deadline is None else lambda: time.monotonic() < deadline)


def take_due_inspections(store):
    """Take every inspection of today that has fallen due and is not taken yet; return how many were taken."""
    with _WRITER:
        return take_due(store, store.now())


class Deriver(BackgroundLoop):
    """A thread that catches up and takes due inspections every *interval_s* seconds, on its own connection."""

    name = "hub-deriver"

    def __init__(self, database, *, clock=None, interval_s=5.0):
        super().__init__(database, clock=clock, interval_s=interval_s)
        self.derived = self.inspections = 0

    def round(self, store):
        """Catch up every dirty window-day and take the inspections due."""
        self.derived += catch_up(store)
        self.inspections += take_due_inspections(store)
