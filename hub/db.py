"""The request's store on ``g``: on this thread's kept SQLite connection, or a PostgreSQL one from the pool.

Opening a SQLite connection (file checks, PRAGMAs, the migration check) costs about as much as storing a
batch of 500 facts, so each serving thread keeps one connection to the hub's SQLite file for its next
requests instead of closing it when the request ends. Every request still refuses an exposed database,
and a database file replaced under the hub (a restore) is opened afresh. A thread keeps one connection:
asked for another database (tests: one app per database), it closes the old one; while a context of the
thread uses it (an app context inside another), the inner one opens its own. It is closed with the thread.
A PostgreSQL store borrows a connection from its process's pool and gives it back at the end; the schema is
checked (and migrated) on the process's first request only.
"""
import os
import threading

from flask import current_app, g

from .store import Store
from .store.connection import SQLiteConnection, connect, refuse_exposed
from .store.database import dialect_of, open_connection, sqlite_path
from .store.migrations import migrate

_thread = threading.local()
_migrated = set()       # the PostgreSQL databases this process has migrated: their schema is current


def get_store():
    """The store of this request: on the thread's kept connection (SQLite) or one of its own (PostgreSQL's pool)."""
    if "store" not in g:
        database, config = current_app.config["DATABASE"], current_app.config
        options = {"clock": config["CLOCK"], "future_allowance_s": config["FUTURE_ALLOWANCE_S"]}
        sqlite = dialect_of(database) == "sqlite"
        kept = sqlite and not getattr(_thread, "lent", False)
        if kept:
            g.store = Store(borrow(sqlite_path(database)), **options)
        elif not sqlite and database in _migrated:
            g.store = Store(open_connection(database), **options)
        else:
            g.store = Store.open(database, **options)
            if not sqlite:
                _migrated.add(database)
        g.store_kept = kept
    return g.store


def borrow(path):
    """This thread's migrated connection to the SQLite file *path*, lent until :func:`close_store`: kept while it
    is the same file, else reopened. Raises DatabaseExposed when the file (or its -wal/-shm) may be read by others,
    on every call."""
    refuse_exposed(path)
    identity, held = _identity(path), getattr(_thread, "held", None)
    if held is None or identity is None or held[0] != identity or held[1].raw.in_transaction:
        _thread.held = None
        if held is not None:
            held[1].close()     # another database, a replaced file, or a transaction left open: never reused
        conn = SQLiteConnection(connect(path))
        try:
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        held = _thread.held = (_identity(path), conn)
    _thread.lent = True
    return held[1]


def _identity(path):
    """(path, device, inode) of the database file at *path*, or None when there is none."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return os.fspath(path), info.st_dev, info.st_ino


def close_store(exc=None):
    """End this context's store: a pooled connection goes back to its pool, a thread's kept one stays open."""
    store = g.pop("store", None)
    if store is None:
        return
    if g.pop("store_kept"):
        _thread.lent = False
    else:
        store.close()


def init_app(app):
    """End the store at the end of every app context."""
    app.teardown_appcontext(close_store)
