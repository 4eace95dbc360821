"""The background deriver: re-derives dirty window-days soon after pushes, so reports open on fresh rows,
and takes the day's inspections (R7 两督查两抽查) when they fall due, whether or not anyone has the admin
pages open.

Reads derive what is still dirty anyway (``Store.rows``); this thread only keeps that work off the
office's page loads. It owns its own connection, like every request does.
"""
import threading

from .store import Store
from .inspections import take_due

STOP_TIMEOUT_S = 10


class Deriver:
    """A thread that derives dirty window-days and takes due inspections every *interval_s* seconds."""

    def __init__(self, database, *, clock=None, interval_s=5.0):
        self.database, self.clock, self.interval_s = database, clock, interval_s
        self.derived = self.inspections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-deriver", daemon=True)

    def start(self):
        """Start deriving in the background; returns self."""
        self._thread.start()
        return self

    @property
    def running(self):
        """True while the background thread runs."""
        return self._thread.is_alive()

    def _run(self):
        with Store.open(self.database, clock=self.clock) as store:
            while not self._stop.wait(self.interval_s):
                self.derived += store.projections.derive_dirty()
                self.inspections += take_due(store, store.now())

    def close(self):
        """Stop the thread and wait for it (bounded); idempotent."""
        self._stop.set()
        if self.running:
            self._thread.join(timeout=STOP_TIMEOUT_S)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
