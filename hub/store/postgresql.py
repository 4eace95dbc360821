"""PostgreSQL connections (psycopg 3): one pool per process and database URL, rows like ``sqlite3.Row``.

Every :class:`~hub.store.Store` borrows one connection from its process's pool for its lifetime (a web
request's, the deriver's) and gives it back on close. Connections run in autocommit; the store's
``transaction()`` issues BEGIN/COMMIT itself (READ COMMITTED), as on SQLite. A statement's parameters are
bound on the client (``ClientCursor``): the repositories' ``(? IS NULL OR "window" = ?)`` needs no type casts;
``executemany`` (inserts and updates of typed columns) binds them on the server.

A pool holds as many connections as the process has threads that use one (:func:`size_pools`: ``hub serve``
gives its ``--threads`` plus the deriver's); a borrower that still waits past the busy timeout, a deadlock,
a serialization failure or a lock timeout is :class:`~.errors.DatabaseBusy`.
"""
import atexit
import re
import threading
from functools import lru_cache

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from .connection import BUSY_TIMEOUT_MS, Connection
from .errors import DatabaseBusy, DatabaseUnreachable

POOL_MAX = 20           # per process unless sized (size_pools): the web server's threads, the deriver, the CLI's
# SQLSTATEs of a database too busy for this transaction now: serialization failure, deadlock, lock timeout,
# too many connections
BUSY_STATES = {"40001": "a serialization failure", "40P01": "a deadlock with another transaction",
               "55P03": "a lock not available in time", "53300": "too many connections"}
LOCK_PREFIX = "hallpost:"
_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.IGNORECASE)
_pools, _pools_lock = {}, threading.Lock()
_pool_max = POOL_MAX


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
    """The repositories' SQL for psycopg: ``%s`` placeholders, a literal ``%`` doubled, no ``INDEXED BY`` hint,
    SQLite's code-point order ``COLLATE BINARY`` as ``COLLATE "C"``."""
    return _INDEXED_BY.sub("", sql).replace("%", "%%").replace("?", "%s").replace("COLLATE BINARY", 'COLLATE "C"')


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
        """Run one statement for each of *rows*, pipelined and bound on the server: one statement, prepared once,
        for the hundreds of facts of a push (a third less time per push than binding each row's literals). No rows,
        no round trip (a pipeline costs one even empty); the cursor, or None then."""
        rows = list(rows)
        if not rows:
            return None
        cursor = psycopg.Cursor(self.raw)
        with self.busy_as_error():
            cursor.executemany(self.translate(sql), rows)
        return cursor

    def lock(self, name):
        """``pg_advisory_xact_lock`` on *name*: held until the transaction ends, by every process alike."""
        with self.busy_as_error():
            self.raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (LOCK_PREFIX + name,))

    def in_transaction(self):
        """True while a transaction is open (also one a failed statement aborted)."""
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    @staticmethod
    def busy_reason(exc):
        """Why PostgreSQL could not take the transaction now (BUSY_STATES), or None for any other error."""
        state = getattr(exc, "sqlstate", None) if isinstance(exc, psycopg.Error) else None
        return f"{BUSY_STATES[state]}: {str(exc).splitlines()[0]}" if state in BUSY_STATES else None

    def executescript(self, script):
        """Run a migration script as it is (one call: PostgreSQL takes several statements without parameters)."""
        self.raw.execute(script)

    def close(self):
        """Give the connection back to the pool."""
        self.pool.putconn(self.raw)


def size_pools(size):
    """Let each pool this process opens from now on hold *size* connections (at least POOL_MAX)."""
    global _pool_max
    _pool_max = max(POOL_MAX, size)


def connect_postgresql(url):
    """A connection to the PostgreSQL database at *url*, from this process's pool for it (DatabaseBusy when every
    one stays in use over the busy timeout; DatabaseUnreachable when no new connection can be made either)."""
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = _pools[url] = ConnectionPool(
                url, min_size=1, max_size=_pool_max, open=True, name="hallpost", timeout=BUSY_TIMEOUT_MS / 1000,
                kwargs={"autocommit": True, "cursor_factory": psycopg.ClientCursor, "row_factory": _row_factory})
    try:
        return PostgreSQLConnection(pool.getconn(), pool)
    except PoolTimeout as exc:
        if (why := _why_unreachable(url)) is not None:
            raise DatabaseUnreachable(f"database: cannot connect to PostgreSQL: {why}") from exc
        raise DatabaseBusy(f"database: busy (all {pool.max_size} connections of this process stayed in use over "
                           f"{BUSY_TIMEOUT_MS / 1000:g} s); nothing of this request was stored, retry in "
                           f"{DatabaseBusy.retry_after_s} s") from exc


def _why_unreachable(url):
    """Why a new connection to *url* fails now (the pool only logs its attempts), or None when one can be made:
    the pool's connections were merely all in use."""
    try:
        psycopg.connect(url, connect_timeout=2).close()
    except psycopg.OperationalError as exc:
        return str(exc).splitlines()[0]
    return None


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
