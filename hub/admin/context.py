"""What every admin view needs from the app: the clock, the database, the hall config, the audit log."""
import time

from flask import current_app, g

from ..db import get_store
from ..deriver import catch_up


class StillDeriving(Exception):
    """Window-days of an export's span are still being derived: it would leave out facts the hub holds."""

    retry_after_s = 30

    def __init__(self, count):
        super().__init__(f"{count} window-days still being derived")
        self.count = count


def store():
    """The request's store (owned by hub.store)."""
    return get_store()


def fresh(start, end, window=None):
    """The request's store once the deriver has caught up on ISO days *start*..*end* (of *window* of the
    request's hall), within ``ADMIN_DERIVE_BUDGET_S`` seconds of the request's first call (a page asking for
    several spans shares one budget).

    A backlog longer than that (a city's terminals back after an outage: minutes of it) is left to the
    background deriver rather than hold the page (and a proxy's timeout) while it runs: the window-days still
    dirty are counted in ``g.still_deriving``, the page says its figures leave them out and reloads, an export
    is refused until they are derived (:func:`complete`).
    """
    span = {"start": start, "end": end, "window": window, "hall": None if window is None else g.hall}
    if "derive_until" not in g:
        g.derive_until = time.monotonic() + current_app.config["ADMIN_DERIVE_BUDGET_S"]
    catch_up(store(), **span, budget_s=max(0.0, g.derive_until - time.monotonic()))
    if time.monotonic() >= g.derive_until:        # counted in the hall the user reads (the center's: every hall)
        counted = dict(span, hall=g.hall if g.user["hall"] is not None else span["hall"])
        g.still_deriving = max(g.get("still_deriving", 0), store().projections.dirty(**counted))
    return store()


def complete():
    """Raise StillDeriving when window-days the request read are still being derived (see :func:`fresh`)."""
    if g.get("still_deriving"):
        raise StillDeriving(g.still_deriving)


def now():
    """The hub's current time (the store's injected clock)."""
    return store().now()


def hall():
    """The request's hall's current config (HallConfig), from its newest config version."""
    return store().configs.hall(getattr(g, "hall", None))


REQUEST_HALL = object()


def audit(action, detail, *, hall=REQUEST_HALL):
    """Record an office action by the current user in the audit log, about *hall* (by default the request's;
    an account's own hall, None for the center's, for what concerns an account)."""
    store().audit.add(g.user["username"], action, detail,
                      hall=getattr(g, "hall", None) if hall is REQUEST_HALL else hall)
