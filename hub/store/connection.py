"""Open the hub's SQLite database: one file, WAL journal synced on each commit, foreign keys on, a busy timeout."""
import sqlite3

BUSY_TIMEOUT_MS = 5000


def connect(path):
    """A connection to the database at *path* (created if missing), set up for the hub."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit is on disk before the push is answered. Terminals drop facts the hub acknowledged, so
    # NORMAL (WAL synced only at checkpoints) could lose acknowledged facts in a power cut.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn
