"""What every admin view needs from the app: the clock, the database, the hall config, the audit log."""
from flask import g

from ..db import get_store
from ..deriver import catch_up


def store():
    """The request's store (owned by hub.store)."""
    return get_store()


def fresh(start, end, window=None):
    """The request's store once the deriver has caught up on ISO days *start*..*end* (of *window* of the
    request's hall)."""
    catch_up(store(), start=start, end=end, window=window, hall=None if window is None else g.hall)
    return store()


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
