"""The hub's store: every table and every SQL statement of the hub lives in this package.

``Store.open(database, clock=...)`` gives one connection (:mod:`.connection`: a SQLite file, WAL, the embedded
default; or a PostgreSQL URL, a connection from the process's pool, :mod:`.postgresql`) and a repository per
concern on it, each taking the connection (and the clock and the repositories it needs, passed here):

- ``facts`` facts, clock anchors and acks (:mod:`.facts`); ``terminals`` enrolment, keys, nonces,
  sync state (:mod:`.terminals`); ``configs`` the halls and each hall's config versions (:mod:`.configs`;
  the schema of halls is :mod:`.hall_schema`'s: what is per hall carries its ``hall``);
- ``dirty`` the window-days to re-derive (:mod:`.dirty`); ``projections`` the derived rows per
  window-day (:mod:`.projections`); ``reports`` summaries over them (:mod:`.reports`);
  ``live`` the live wall (:mod:`.live`); ``repair`` a terminal whose clock ran ahead (:mod:`.repair`);
- ``users``, ``accounts`` (passwords, sessions, lockouts), ``leave``, ``overtime``, ``followups``, ``cases``
  (a 差评's handling steps, appeals of ratings), ``inspections``, ``audit``, ``settings`` (the hub's secrets),
  ``alerts`` (:mod:`.alerts`): the office's tables;
- ``notify`` the notification receivers, routes and silences (:mod:`.notify_settings`); ``outbox`` the
  incidents and the messages to deliver (:mod:`.outbox`).

Projections have one writer, the deriver (:mod:`hub.deriver`): reads never derive. A page that needs
fresh rows asks the writer to catch up first (``hub.deriver.catch_up``), so it shows a push at once.
"""
from datetime import timedelta

from ..clock import utc_now
from .accounts import Accounts
from .alerts import Alerts
from .audit import AuditLog
from .cases import Cases
from .configs import ConfigVersions
from .database import open_connection
from .dirty import DirtyMarks
from .errors import (AlreadyClosed, BadEnrolmentCode, Conflict, DatabaseBusy, DatabaseExposed,  # noqa: F401
                     FutureFact, JournalReset, StoreError, UnknownTerminal)
from .facts import FactLog
from .followups import Followups
from .inspections import Inspections
from .leave import Leave
from .live import LiveWall
from .migrations import migrate
from .notify_settings import NotifySettings
from .outbox import Outbox
from .overtime import Overtime
from .projections import Projections
from .repair import TerminalRepair
from .reports import Reports
from .settings import Settings
from .terminals import Terminals
from .users import Users

# how far ahead of the hub's own time a fact may be timed (a terminal's clock anchor is the hub's time)
FUTURE_ALLOWANCE_S = 120


class Store:
    """One connection to the hub's database and a repository per concern on it."""

    def __init__(self, conn, *, clock=None, future_allowance_s=FUTURE_ALLOWANCE_S):
        self.conn = conn
        self.clock = clock = clock or utc_now
        self.audit = AuditLog(conn, clock)
        self.settings = Settings(conn)
        self.dirty = DirtyMarks(conn)
        self.configs = ConfigVersions(conn, clock, self.dirty, self.audit)
        self.terminals = Terminals(conn, clock, self.configs, self.audit)
        self.facts = FactLog(conn, clock, self.configs, self.dirty, self.audit,
                             timedelta(seconds=future_allowance_s))
        self.projections = Projections(conn, clock, self.configs, self.terminals)
        self.reports = Reports(conn, self.configs, self.terminals)
        self.live = LiveWall(conn, clock, self.configs, self.settings)
        self.repair = TerminalRepair(conn, clock, self.configs, self.facts, self.dirty, self.audit)
        self.users = Users(conn)
        self.accounts = Accounts(conn)
        self.leave = Leave(conn)
        self.overtime = Overtime(conn)
        self.followups = Followups(conn)
        self.cases = Cases(conn)
        self.inspections = Inspections(conn)
        self.alerts = Alerts(conn)
        self.notify = NotifySettings(conn, clock, self.audit)
        self.outbox = Outbox(conn, clock)

    @classmethod
    def open(cls, database, *, clock=None, future_allowance_s=FUTURE_ALLOWANCE_S):
        """Open (and migrate) *database* (a SQLite path, ``sqlite:///path`` or ``postgresql://…``); facts timed
        over *future_allowance_s* ahead are refused."""
        conn = open_connection(database)
        try:
            migrate(conn)
        except BaseException:
            conn.close()
            raise
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

    def transaction(self):
        """One write transaction over every repository (nested uses join the outer one)."""
        return self.conn.transaction()
