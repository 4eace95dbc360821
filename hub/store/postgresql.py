"""PostgreSQL connections (psycopg 3): one pool per process and database URL, rows like ``sqlite3.Row``.

Every :class:`~hub.store.Store` borrows one connection from its process's pool for its lifetime (a web
request's, the deriver's) and gives it back on close. Connections run in autocommit; the store's
``transaction()`` issues BEGIN/COMMIT itself (READ COMMITTED), as on SQLite. Parameters are bound on the
client (``ClientCursor``): the repositories' ``(? IS NULL OR "window" = ?)`` needs no type casts.
"""
import atexit
import re
import threading
from functools import lru_cache

import psycopg
from psycopg_pool import ConnectionPool

from .connection import Connection

POOL_MAX = 20           # per process: the web server's threads, the deriver and the CLI's own stores
LOCK_PREFIX = "hallpost:"
_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.IGNORECASE)
_pools, _pools_lock = {}, threading.Lock()


class Row:
    """A result row readable by index, by column name and as a mapping (``dict(row)``), like ``sqlite3.Row``."""

    __slots__ = ("_values", "_index")

    def __init__(self, values, index):
        self._values, self._index = values, index

    def __getitem__(self, key):
        return self._values[self._index[key] if isinstance(key, str) else key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def keys(self):
        """The column names, in order."""
        return list(self._index)

    def __repr__(self):
        return f"Row({dict(zip(self._index, self._values))!r})"


def _row_factory(cursor):
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


@lru_cache(maxsize=1024)
def to_postgresql(sql):
    """The repositories' SQL for psycopg: ``%s`` placeholders, a literal ``%`` doubled, no ``INDEXED BY`` hint."""
    return _INDEXED_BY.sub("", sql).replace("%", "%%").replace("?", "%s")


class PostgreSQLConnection(Connection):
    """A connection borrowed from its process's pool: named locks are transaction-scoped advisory locks."""

    dialect = "postgresql"

    def __init__(self, raw, pool):
        super().__init__(raw)
        self.pool = pool

    def translate(self, sql):
        """With ``%s`` placeholders (:func:`to_postgresql`)."""
        return to_postgresql(sql)

    def executemany(self, sql, rows):
        """Run one statement for each of *rows*, pipelined and bound on the server (one prepared statement,
        planned once: a push inserts hundreds of facts); return the cursor."""
        cursor = self.raw.cursor()
        cursor.executemany(self.translate(sql), rows)
        return cursor

    def lock(self, name):
        """``pg_advisory_xact_lock`` on *name*: held until the transaction ends, by every process alike."""
        self.raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (LOCK_PREFIX + name,))

    def executescript(self, script):
        """Run a migration script as it is (one call: PostgreSQL takes several statements without parameters)."""
        self.raw.execute(script)

    def close(self):
        """Give the connection back to the pool."""
        self.pool.putconn(self.raw)


def connect_postgresql(url):
    """A connection to the PostgreSQL database at *url*, from this process's pool for it."""
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = _pools[url] = ConnectionPool(
                url, min_size=1, max_size=POOL_MAX, open=True, name="hallpost",
                kwargs={"autocommit": True, "cursor_factory": psycopg.ClientCursor, "row_factory": _row_factory})
    return PostgreSQLConnection(pool.getconn(), pool)


def close_pool(url):
    """Close this process's pool of *url* (its connections end); the next connection opens a new one."""
    with _pools_lock:
        pool = _pools.pop(url, None)
    if pool is not None:
        pool.close()


@atexit.register
def close_pools():
    """Close every pool of this process."""
    for url in list(_pools):
        close_pool(url)
