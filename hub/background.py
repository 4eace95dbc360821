"""A background loop of the hub: a daemon thread that does one round every *interval_s* seconds (or at once when
woken) on its own store connection, until closed (the deriver's, the alert evaluator's, the notification
worker's). A database too busy for a round (DatabaseBusy: its writes rolled back) is counted and logged, and tried
again on the next; the loop never ends for it."""
import logging
import threading

from .store import DatabaseBusy, Store

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10


class BackgroundLoop:
    """Calls ``self.round(store)`` every *interval_s* seconds in a thread named *name*; a context manager."""

    name = "hub-background"
    stop_timeout_s = STOP_TIMEOUT_S

    def __init__(self, database, *, clock=None, interval_s=5.0):
        self.database, self.clock, self.interval_s = database, clock, interval_s
        self.busy = 0
        self._stop, self._wake = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def round(self, store):
        """One round of the loop's work on *store* (the subclass's)."""
        raise NotImplementedError

    def opened(self, store):
        """Called once with the loop's store before the first round (the subclass may prepare with it)."""

    def start(self):
        """Start the loop in the background; returns self."""
        self._thread.start()
        return self

    @property
    def running(self):
        """True while the background thread runs."""
        return self._thread.is_alive()

    def wake(self):
        """Do the next round now rather than at the next interval."""
        self._wake.set()

    def _run(self):
        with Store.open(self.database, clock=self.clock) as store:
            self.opened(store)
            while True:
                self._wake.wait(self.interval_s)
                self._wake.clear()
                if self._stop.is_set():
                    break
                try:
                    self.round(store)
                except DatabaseBusy as exc:
                    self.busy += 1
                    log.warning("%s: %s; trying again in %g s", self.name, exc, self.interval_s)

    def close(self):
        """Stop the thread and wait for it (bounded: a round in progress finishes first); idempotent."""
        self._stop.set()
        self._wake.set()
        if self.running:
            self._thread.join(timeout=self.stop_timeout_s)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
