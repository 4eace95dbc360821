"""The store's connections, one interface: SQLite here (one file, the embedded default), PostgreSQL in
:mod:`.postgresql` (:mod:`.database` opens either).

The repositories write one SQL for both: ``?`` placeholders, ``"window"`` quoted (reserved in PostgreSQL),
``ON CONFLICT``, ``RETURNING``, row locks (``FOR UPDATE [SKIP LOCKED]``, which SQLite drops: its write
transaction already holds the whole database) and SQLite's planner hint ``INDEXED BY`` (PostgreSQL drops it).

The SQLite database holds the session secret, every terminal's key and the password hashes, so its files
are the service user's alone: created 0600 whatever the umask, and never opened when others may read them.
SQLite runs in WAL mode synced on each commit, foreign keys on, with a busy timeout. Its one write lock is
handed out fairly within a process (:class:`WriterTurns`): a push waiting while the deriver works goes next.

A database too busy to take a transaction (a lock held past the wait, a deadlock, a serialization failure)
raises :class:`~.errors.DatabaseBusy` once the transaction is rolled back: the caller may retry it whole.
"""
import os
import re
import sqlite3
import stat
import threading
from collections import deque
from contextlib import contextmanager
from functools import lru_cache

from .errors import DatabaseBusy, DatabaseExposed

BUSY_TIMEOUT_MS = 5000
PRIVATE_MODE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")
SQLITE_BUSY_CODES = (5, 6)          # SQLITE_BUSY, SQLITE_LOCKED (and their extended codes)
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

    Each dialect's subclass says how to translate the repositories' SQL (``translate``), how to begin a write
    transaction (:attr:`BEGIN`), how to take a named lock for the rest of a transaction (``lock``) and how to
    run a migration script (``executescript``).
    """

    BEGIN = "BEGIN"

    def __init__(self, raw):
        self.raw = raw
        self._depth = 0
        self.read_once = {}     # what repositories read once per write transaction (forgotten when it ends)

    def execute(self, sql, parameters=()):
        """Run one statement; return its cursor."""
        with self.busy_as_error():
            return self.raw.execute(self.translate(sql), parameters)

    def executemany(self, sql, rows):
        """Run one statement for each of *rows*; return the cursor."""
        with self.busy_as_error():
            return self.raw.executemany(self.translate(sql), rows)

    @contextmanager
    def transaction(self):
        """One write transaction; nested uses join the outer one; rolled back on error (DatabaseBusy when the
        database could not take it)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.begin()
        self._depth = 1
        try:
            yield self
            with self.busy_as_error():
                self.raw.execute("COMMIT")
        except BaseException:
            if self.in_transaction():
                self.raw.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
            self.read_once.clear()
            self.ended()

    @property
    def writing(self):
        """True inside :meth:`transaction`."""
        return self._depth > 0

    def begin(self):
        """Begin the write transaction."""
        with self.busy_as_error():
            self.raw.execute(self.BEGIN)

    def ended(self):
        """The write transaction is over (committed or rolled back)."""

    @contextmanager
    def busy_as_error(self):
        """Raise DatabaseBusy (from the driver's error) where the database was too busy to answer."""
        try:
            yield
        except Exception as exc:
            reason = self.busy_reason(exc)
            if reason is None:
                raise
            raise DatabaseBusy(f"database: busy ({reason}); nothing of this request was stored, retry in "
                               f"{DatabaseBusy.retry_after_s} s") from exc

    def close(self):
        """Close the connection."""
        self.raw.close()


class SQLiteConnection(Connection):
    """A SQLite connection: BEGIN IMMEDIATE takes the database's one write lock, so row locks and named
    locks are already held by every write transaction."""

    dialect = "sqlite"
    BEGIN = "BEGIN IMMEDIATE"

    def __init__(self, raw):
        super().__init__(raw)
        self.turns = WriterTurns.of(raw.execute("PRAGMA database_list").fetchone()[2])

    def begin(self):
        """Wait for this process's turn to write (first come, first served), then take SQLite's write lock."""
        if not self.turns.take(BUSY_TIMEOUT_MS / 1000):
            raise DatabaseBusy(f"database: busy (this process's other writers kept it over {BUSY_TIMEOUT_MS / 1000:g} "
                               f"s); nothing of this request was stored, retry in {DatabaseBusy.retry_after_s} s")
        try:
            super().begin()
        except BaseException:
            self.turns.give_back()
            raise

    def ended(self):
        """Let this process's next writer in."""
        self.turns.give_back()

    def in_transaction(self):
        """True while a transaction is open."""
        return self.raw.in_transaction

    @staticmethod
    def busy_reason(exc):
        """Why SQLite was busy (its lock held past the busy timeout), or None for any other error."""
        if isinstance(exc, sqlite3.OperationalError) and (exc.sqlite_errorcode or 0) & 0xFF in SQLITE_BUSY_CODES:
            return f"another process held the write lock over {BUSY_TIMEOUT_MS / 1000:g} s: {exc}"
        return None

    def translate(self, sql):
        """Without row-locking clauses (``FOR UPDATE [SKIP LOCKED]``), which SQLite does not know."""
        return _without_row_locks(sql)

    def lock(self, name):
        """Nothing to take: the write transaction (BEGIN IMMEDIATE) already excludes every other writer."""

    def executescript(self, script):
        """Run a migration script statement by statement (``executescript`` would commit the transaction)."""
        for statement in _statements(script):
            self.raw.execute(statement)


class WriterTurns:
    """One SQLite file's writers in this process, let in one at a time in the order they came (SQLite's own
    busy handler sleeps and polls, so a writer that lets go and begins again, like the deriver, would mostly
    win over one already waiting)."""

    _of, _of_lock = {}, threading.Lock()

    def __init__(self):
        self._mutex, self._busy, self._waiting = threading.Lock(), False, deque()

    @classmethod
    def of(cls, path):
        """The turns of the database file at *path* (one per file per process)."""
        key = os.path.realpath(path) if path else None
        if key is None:
            return cls()                            # an in-memory database has no other writer
        with cls._of_lock:
            return cls._of.setdefault(key, cls())

    def take(self, timeout_s):
        """Wait for the turn (at most *timeout_s*); True once it is this caller's, False when the wait ran out."""
        with self._mutex:
            if not self._busy:
                self._busy = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout_s):
            return True
        with self._mutex:
            if turn.is_set():                       # handed over just as the wait ran out
                return True
            self._waiting.remove(turn)
            return False

    @property
    def waiting(self):
        """How many writers wait for their turn."""
        return len(self._waiting)

    def give_back(self):
        """End this turn: the longest waiting writer's goes next."""
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._busy = False


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
