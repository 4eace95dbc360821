"""Open the hub's SQLite database: one file, WAL journal synced on each commit, foreign keys on, a busy timeout.

The database holds the session secret, every terminal's key and the password hashes, so its files are
the service user's alone: created 0600 whatever the umask, and never opened when others may read them.
"""
import os
import sqlite3
import stat
from contextlib import contextmanager

from .errors import DatabaseExposed

BUSY_TIMEOUT_MS = 5000
PRIVATE_MODE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


def connect(path):
    """A connection to the database at *path* (created 0600 if missing), set up for the hub."""
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
    """One SQLite connection shared by the store's repositories, with nestable write transactions."""

    def __init__(self, conn):
        self.raw = conn
        self._depth = 0

    def execute(self, sql, parameters=()):
        """Run one statement; return its cursor."""
        return self.raw.execute(sql, parameters)

    def executemany(self, sql, rows):
        """Run one statement for each of *rows*; return the cursor."""
        return self.raw.executemany(sql, rows)

    @contextmanager
    def transaction(self):
        """One write transaction (BEGIN IMMEDIATE); nested uses join the outer one; rolled back on error."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.raw.execute("BEGIN IMMEDIATE")
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
