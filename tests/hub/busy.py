"""Another process holding the database past the hub's wait: SQLite's write lock, or a PostgreSQL table lock
with a short lock_timeout for the hub's connections."""
import sqlite3
from contextlib import contextmanager

import psycopg

from hub.store import connection
from hub.store.database import dialect_of
from hub.store.postgresql import close_pool

WAIT_MS = 200               # the hub's wait for the lock in these tests (5 s in service)


@contextmanager
def database_held(database, table, monkeypatch):
    """Hold *database* as another process would: SQLite's one write lock, or PostgreSQL's *table* exclusively
    (every connection the hub opens meanwhile gives up waiting after WAIT_MS)."""
    if dialect_of(database) == "sqlite":
        monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", WAIT_MS)
        other = sqlite3.connect(database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with psycopg.connect(database, autocommit=True) as other:
        other.execute(f"ALTER DATABASE {other.info.dbname} SET lock_timeout = {WAIT_MS}")
        close_pool(database)                    # the hub's next connections are new ones, with the lock timeout
        other.execute("BEGIN")
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.execute(f"ALTER DATABASE {other.info.dbname} RESET lock_timeout")
            close_pool(database)
