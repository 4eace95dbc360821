"""What every admin view needs from the app: the clock, the database, the hall config, the audit log."""
from flask import g

from ..db import get_store
from ..deriver import catch_up


def store():
    """The request's store (owned by hub.store)."""
    return get_store()


def fresh(start, end, window=None):
    """The request's store once the deriver has caught up on ISO days *start*..*end* (of *window*)."""
    catch_up(store(), start=start, end=end, window=window)
    return store()


def now():
    """The hub's current time (the store's injected clock)."""
    return store().now()


def hall():
    """The current hall config (HallConfig) from the newest config version."""
    return store().configs.hall()


def audit(action, detail):
    """Record an office action by the current user in the audit log."""
    store().audit.add(g.user["username"], action, detail)
