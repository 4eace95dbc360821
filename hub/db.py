"""The request's store on ``g``: opened on first use, closed when the app context ends."""
from flask import current_app, g

from .store import Store


def get_store():
    """The store of this request (one connection per app context)."""
    if "store" not in g:
        g.store = Store.open(current_app.config["DATABASE"], clock=current_app.config["CLOCK"],
                             future_allowance_s=current_app.config["FUTURE_ALLOWANCE_S"])
    return g.store


def close_store(exc=None):
    """Close this context's store, if one was opened."""
    store = g.pop("store", None)
    if store is not None:
        store.close()


def init_app(app):
    """Close the store at the end of every app context."""
    app.teardown_appcontext(close_store)
