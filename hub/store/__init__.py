"""The hub's store: every table and every SQL statement of the hub lives in this package.

``Store.open(path, clock=...)`` gives one connection (SQLite, WAL, one file) with the mixins' methods:
facts and acks (:mod:`.facts`), terminals, enrolment and nonces (:mod:`.terminals`), hall config
versions (:mod:`.configs`), projections per window-day (:mod:`.projections`), the live wall
(:mod:`.live`), reports (:mod:`.reports`), the audit log (:mod:`.audit`) and the repair of a terminal
whose clock ran ahead (:mod:`.repair`). The office's tables have functions taking the store: :mod:`.office`
(users, leave, inspections) and :mod:`.accounts` (passwords, session versions, login lockouts).
"""
import secrets
from contextlib import contextmanager
from datetime import timedelta, timezone

from ..clock import utc_now
from .audit import AuditLog
from .configs import ConfigVersions
from .connection import connect
from .errors import (BadEnrolmentCode, Conflict, DatabaseExposed, FutureFact, JournalReset,  # noqa: F401
                     StoreError, UnknownTerminal)
from .facts import FactLog
from .live import LiveWall
from .migrations import migrate
from .projections import Projections
from .repair import TerminalRepair
from .reports import Reports
from .terminals import Terminals


# how far ahead of the hub's own time a fact may be timed (a terminal's clock anchor is the hub's time)
FUTURE_ALLOWANCE_S = 120


class Store(FactLog, Terminals, ConfigVersions, Projections, LiveWall, Reports, AuditLog, TerminalRepair):
    """One connection to the hub's database and everything the hub asks of it."""

    def __init__(self, conn, *, clock=None, future_allowance_s=FUTURE_ALLOWANCE_S):
        self.conn = conn
        self.clock = clock or utc_now
        self.future_allowance = timedelta(seconds=future_allowance_s)
        self._depth = 0

    @classmethod
    def open(cls, path, *, clock=None, future_allowance_s=FUTURE_ALLOWANCE_S):
        """Open (and migrate) the database at *path*; facts timed over *future_allowance_s* ahead are refused."""
        conn = connect(path)
        migrate(conn)
        return cls(conn, clock=clock, future_allowance_s=future_allowance_s)

    def close(self):
        """Close the connection (idempotent)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def now(self):
        """The hub's time (from the injected clock)."""
        return self.clock()

    def now_iso(self):
        """The hub's time as ISO 8601 UTC."""
        return self.clock().astimezone(timezone.utc).isoformat()

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
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def secret_key(self):
        """The hub's session secret, generated once and kept in the database."""
        return self._secret("secret_key")

    def inspection_secret(self):
        """The hub's secret that draws the random inspection times: not in the source, so never foreseen."""
        return self._secret("inspection_secret")

    def _secret(self, name):
        """The setting *name*: 32 random bytes (hex) drawn with ``secrets`` on first use, then kept."""
        with self.transaction():
            self.conn.execute("INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)",
                              (name, secrets.token_hex(32)))
            return self.conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()[0]
