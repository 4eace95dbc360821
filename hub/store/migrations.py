"""The schema, as an ordered list of migrations applied by number (``PRAGMA user_version``).

Append new migrations at the end; never edit one that has shipped. Each is a SQL script, or a function of
the connection that does its work and returns a SQL script, run in one transaction with the version bump.
"""
import sqlite3

from .accounts import SCHEMA as ACCOUNTS_SCHEMA
from .audit import chain_existing_rows
from .overtime import SCHEMA as OVERTIME_SCHEMA
from .users import add_display_role

# The coordination office's own tables: users, leave requests, follow-up closures, inspections.
OFFICE_SCHEMA = """
CREATE TABLE office_users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('office', 'viewer', 'leader')),
    department TEXT,
    display_name TEXT,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE leave_requests (
    id INTEGER PRIMARY KEY,
    clerk TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    kind TEXT NOT NULL,
    cover TEXT,
    note TEXT,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    config_version INTEGER
);
CREATE TABLE leave_approvals (
    request INTEGER NOT NULL REFERENCES leave_requests(id),
    tier TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    PRIMARY KEY (request, tier)
);
CREATE TABLE followup_closures (
    window TEXT NOT NULL,
    service INTEGER NOT NULL,
    done TEXT NOT NULL,
    closed_by TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (window, service, done)
);
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    slot TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'random', 'manual')),
    due_at TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    taken_by TEXT,
    snapshot TEXT NOT NULL,
    UNIQUE (day, slot)
);
CREATE INDEX inspections_day ON inspections(day);
"""
# R9 (E §2(2)): 病假如无法及时办理请假手续，事后应补办，并提供医院诊断证明. NULL: not sick leave; 0 / 1: not / provided.
LEAVE_CERTIFICATE = """
ALTER TABLE leave_requests ADD COLUMN certificate INTEGER CHECK (certificate IN (0, 1));
"""

MIGRATIONS = [
    # 1: terminals, facts, clock anchors, hall config versions, projections per window-day, audit log, settings.
    """
    CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE terminals (
        id TEXT PRIMARY KEY,
        window TEXT NOT NULL,
        key TEXT,                       -- HMAC key (hex): the hub must hold it to verify signatures
        store_id TEXT,
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT,
        last_seen TEXT,
        acked_seq INTEGER NOT NULL DEFAULT 0,
        reported_to_us INTEGER,         -- time of the latest fact in the contiguous prefix (Unix µs)
        keypad INTEGER,                 -- attached (1) or not (0) by its latest keypad fact; NULL: never said
        keypad_seq INTEGER,             -- the seq of that keypad fact
        status TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE enrolment_codes (
        code_hash TEXT PRIMARY KEY,
        window TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        terminal TEXT
    );
    CREATE TABLE nonces (
        terminal TEXT NOT NULL,
        nonce TEXT NOT NULL,
        seen_s INTEGER NOT NULL,
        PRIMARY KEY (terminal, nonce)
    ) WITHOUT ROWID;
    CREATE INDEX nonces_seen ON nonces (seen_s);
    CREATE TABLE facts (
        terminal TEXT NOT NULL,
        seq INTEGER NOT NULL,
        boot TEXT NOT NULL,
        mono_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        window TEXT NOT NULL,
        body TEXT NOT NULL,             -- the canonical fact JSON as the terminal sent it
        at_us INTEGER,                  -- resolved time (Unix µs, exact); NULL while uncertain
        day TEXT,                       -- local date of at_us in the hall's time zone
        received_at TEXT NOT NULL,
        PRIMARY KEY (terminal, seq),
        FOREIGN KEY (terminal) REFERENCES terminals (id)
    ) WITHOUT ROWID;
    CREATE INDEX facts_window_day ON facts (window, day, at_us);
    CREATE INDEX facts_boot ON facts (terminal, boot);
    CREATE TABLE anchors (
        terminal TEXT NOT NULL,
        boot TEXT NOT NULL,
        mono_ms INTEGER NOT NULL,
        offset_us INTEGER NOT NULL,      -- hub time minus mono_ms, Unix µs
        FOREIGN KEY (terminal) REFERENCES terminals (id)
    );
    CREATE INDEX anchors_boot ON anchors (terminal, boot);
    CREATE TABLE configs (
        version INTEGER PRIMARY KEY,
        etag TEXT NOT NULL,
        body TEXT NOT NULL,
        actor TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE TABLE window_days (
        window TEXT NOT NULL,
        day TEXT NOT NULL,
        dirty INTEGER NOT NULL DEFAULT 1,
        provisional INTEGER NOT NULL DEFAULT 1,
        as_of TEXT,
        derived_at TEXT,
        derivations INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (window, day)
    ) WITHOUT ROWID;
    CREATE INDEX window_days_dirty ON window_days (dirty, day);
    CREATE TABLE projections (
        window TEXT NOT NULL,
        day TEXT NOT NULL,
        tbl TEXT NOT NULL,              -- attendance, violations, empty_intervals, handovers, services
        clerk TEXT,
        kind TEXT,                      -- attendance status, violation kind, handover reason, score
        at TEXT,                        -- the row's first time (sign-in, start, requested, done)
        provisional INTEGER NOT NULL,
        row TEXT NOT NULL
    );
    CREATE INDEX projections_day ON projections (tbl, day, window);
    CREATE INDEX projections_window_day ON projections (window, day);
    CREATE INDEX projections_clerk ON projections (clerk, tbl, day);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX audit_at ON audit (at);
    """,
    # 2: the coordination office's tables: users, leave requests, follow-up closures, inspections.
    OFFICE_SCHEMA,
    # 3: sick leave's hospital certificate (R9) and overtime requests (R10).
    LEAVE_CERTIFICATE + OVERTIME_SCHEMA,
    # 4: the auditor role, per-user session versions, failed-login counters and lockouts.
    ACCOUNTS_SCHEMA,
    # 5: the audit log hash-chained (rows already there hashed in id order), append-only, kept 180 days.
    chain_existing_rows,
    # 6: the display role (the hall's big screen): office_users rebuilt with it in the role check, all columns kept.
    add_display_role,
]


def schema_version(conn):
    """The number of migrations applied to *conn*'s database."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn, migrations=MIGRATIONS):
    """Apply the pending migrations in order, each in its own transaction; return the new version."""
    version = schema_version(conn)
    for number, script in enumerate(migrations[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= number:
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(script(conn) if callable(script) else script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return schema_version(conn)


def _statements(script):
    """Split a migration script into statements (executescript would commit the open transaction)."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \t\r\n;"):
                statements.append(current.strip())
            current = ""
    return statements
