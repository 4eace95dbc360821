"""Open the hub's SQLite database: one file, WAL journal, foreign keys on, a busy timeout."""
import sqlite3

BUSY_TIMEOUT_MS = 5000


def connect(path):
    """A connection to the database at *path* (created if missing), set up for the hub."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn
