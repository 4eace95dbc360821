"""The store's connections, one interface: SQLite here (one file, the embedded default), PostgreSQL in
:mod:`.postgresql` (:mod:`.database` opens either).

The repositories write one SQL for both: ``?`` placeholders, ``"window"`` quoted (reserved in PostgreSQL),
``ON CONFLICT``, ``RETURNING``, row locks (``FOR UPDATE [SKIP LOCKED]``, which SQLite drops: its write
transaction already holds the whole database) and SQLite's planner hint ``INDEXED BY`` (PostgreSQL drops it).

The SQLite database holds the session secret, every terminal's key and the password hashes, so its files
are the service user's alone: created 0600 whatever the umask, and never opened when others may read them.
SQLite runs in WAL mode synced on each commit, foreign keys on, with a busy timeout.
"""
import os
import re
import sqlite3
import stat
from contextlib import contextmanager
from functools import lru_cache

from .errors import DatabaseExposed

BUSY_TIMEOUT_MS = 5000
PRIVATE_MODE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")
_ROW_LOCK = re.compile(r"\s+FOR\s+(UPDATE|SHARE)(\s+SKIP\s+LOCKED)?", re.IGNORECASE)


def connect(path):
    """A sqlite3 connection to the database at *path* (created 0600 if missing), set up for the hub."""
    create_private(path)
    refuse_exposed(path)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit is on disk before the push is answered. Terminals drop facts the hub acknowledged, so
    # NORMAL (WAL synced only at checkpoints) could lose acknowledged facts in a power cut.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


class Connection:
    """One database connection shared by the store's repositories, with nestable write transactions.

    A dialect says how to translate the repositories' SQL (:meth:`translate`), how to begin a write
    transaction (:attr:`BEGIN`) and how to take a named lock for the rest of a transaction (:meth:`lock`).
    """

    dialect = None
    BEGIN = "BEGIN"

    def __init__(self, raw):
        self.raw = raw
        self._depth = 0

    def translate(self, sql):
        """The repositories' SQL as this dialect runs it."""
        return sql

    def execute(self, sql, parameters=()):
        """Run one statement; return its cursor."""
        return self.raw.execute(self.translate(sql), parameters)

    def executemany(self, sql, rows):
        """Run one statement for each of *rows*; return the cursor."""
        return self.raw.executemany(self.translate(sql), rows)

    def lock(self, name):
        """Hold the lock *name* until the current transaction ends (other processes wait for it)."""

    @contextmanager
    def transaction(self):
        """One write transaction; nested uses join the outer one; rolled back on error."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.raw.execute(self.BEGIN)
        self._depth = 1
        try:
            yield self
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        else:
            self.raw.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self):
        """Close the connection."""
        self.raw.close()


class SQLiteConnection(Connection):
    """A SQLite connection: BEGIN IMMEDIATE takes the database's one write lock, so row locks and named
    locks are already held by every write transaction."""

    dialect = "sqlite"
    BEGIN = "BEGIN IMMEDIATE"

    def translate(self, sql):
        """Without row-locking clauses (``FOR UPDATE [SKIP LOCKED]``), which SQLite does not know."""
        return _without_row_locks(sql)

    def executescript(self, script):
        """Run a migration script statement by statement (``executescript`` would commit the transaction)."""
        for statement in _statements(script):
            self.raw.execute(statement)


@lru_cache(maxsize=512)
def _without_row_locks(sql):
    return _ROW_LOCK.sub("", sql)


def _statements(script):
    """Split a SQLite script into statements."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \t\r\n;"):
                statements.append(current.strip())
            current = ""
    return statements


def create_private(path):
    """Create an empty database file with mode 0600 unless one exists (SQLite gives -wal/-shm its mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def refuse_exposed(path):
    """Raise DatabaseExposed when the database or its -wal/-shm/-journal file is open to group or others."""
    exposed = []
    for name in (os.fspath(path), *(os.fspath(path) + side for side in SIDE_FILES)):
        try:
            mode = stat.S_IMODE(os.stat(name).st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            exposed.append((name, mode))
    if exposed:
        names = ", ".join(f"{name} (mode {mode:04o})" for name, mode in exposed)
        raise DatabaseExposed(f"database: {names} may be read by other users of this machine; it holds the "
                              f"session secret, terminal keys and password hashes. Fix it with: chmod 600 "
                              f"{' '.join(name for name, _ in exposed)}")
