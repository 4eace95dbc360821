"""Migration 7: halls. A hub holds one or more halls; what is per hall carries its ``hall`` id.

A database of one hall migrates with every row in that hall: its id is the ``[hall] id`` of its newest
config (:data:`DEFAULT_HALL` when it has none), its name the config's. The portable part adds the ``halls``
table and the ``hall`` columns; the tables whose key gains ``hall`` are re-keyed in the dialect's part
(SQLite: a table can only be rebuilt to change its key, :data:`SQLITE_REKEYED`; PostgreSQL alters the key in
place, :data:`POSTGRESQL_REKEYED`).
"""
import json

from .migration_entries import PerDialect

DEFAULT_HALL = "hall"
# tables that gain a ``hall`` column in place (NULL on office_users and audit: all halls / not about one hall)
ADDED_COLUMNS = ("terminals", "enrolment_codes", "facts", "projections", "leave_requests", "overtime_requests")
PORTABLE = """
CREATE TABLE halls (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
""" + "".join(f"ALTER TABLE {table} ADD COLUMN hall TEXT REFERENCES halls (id);\n" for table in ADDED_COLUMNS) + """
ALTER TABLE office_users ADD COLUMN hall TEXT REFERENCES halls (id);
ALTER TABLE audit ADD COLUMN hall TEXT;
"""
INDEXES = """
DROP INDEX facts_window_day;
CREATE INDEX facts_hall_window_day ON facts (hall, "window", day, at_us);
DROP INDEX projections_day;
CREATE INDEX projections_day ON projections (tbl, day, hall, "window");
DROP INDEX projections_window_day;
CREATE INDEX projections_window_day ON projections (hall, "window", day);
CREATE INDEX terminals_hall ON terminals (hall, "window");
"""
# SQLite: each re-keyed table as (new definition, its columns as they were, indexes to recreate).
SQLITE_REKEYED = {
    "configs": ("""
        CREATE TABLE configs_new (
            hall TEXT NOT NULL REFERENCES halls (id),
            version INTEGER NOT NULL,
            etag TEXT NOT NULL,
            body TEXT NOT NULL,
            actor TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            PRIMARY KEY (hall, version)
        )""", "version, etag, body, actor, saved_at", ()),
    "window_days": ("""
        CREATE TABLE window_days_new (
            hall TEXT NOT NULL REFERENCES halls (id),
            "window" TEXT NOT NULL,
            day TEXT NOT NULL,
            dirty INTEGER NOT NULL DEFAULT 1,
            provisional INTEGER NOT NULL DEFAULT 1,
            as_of TEXT,
            derived_at TEXT,
            derivations INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (hall, "window", day)
        ) WITHOUT ROWID""", '"window", day, dirty, provisional, as_of, derived_at, derivations',
                    ("CREATE INDEX window_days_dirty ON window_days (dirty, day)",)),
    "followup_closures": ("""
        CREATE TABLE followup_closures_new (
            hall TEXT NOT NULL REFERENCES halls (id),
            "window" TEXT NOT NULL,
            service INTEGER NOT NULL,
            done TEXT NOT NULL,
            closed_by TEXT NOT NULL,
            closed_at TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (hall, "window", service, done)
        )""", '"window", service, done, closed_by, closed_at, note', ()),
    "inspections": ("""
        CREATE TABLE inspections_new (
            id INTEGER PRIMARY KEY,
            hall TEXT NOT NULL REFERENCES halls (id),
            day TEXT NOT NULL,
            slot TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'random', 'manual')),
            due_at TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            taken_by TEXT,
            snapshot TEXT NOT NULL,
            UNIQUE (hall, day, slot)
        )""", "id, day, slot, kind, due_at, taken_at, taken_by, snapshot",
                    ("CREATE INDEX inspections_day ON inspections (hall, day)",)),
}


# PostgreSQL: the same re-keyed tables gain ``hall`` in place; their keys are replaced once every row has one.
POSTGRESQL_REKEYED = {
    "configs": ("configs_pkey", "PRIMARY KEY (hall, version)"),
    "window_days": ("window_days_pkey", 'PRIMARY KEY (hall, "window", day)'),
    "followup_closures": ("followup_closures_pkey", 'PRIMARY KEY (hall, "window", service, done)'),
    "inspections": ("inspections_day_slot_key", "UNIQUE (hall, day, slot)"),
}
POSTGRESQL_INDEXES = """
DROP INDEX inspections_day;
CREATE INDEX inspections_day ON inspections (hall, day);
"""


def _add_portable(conn, tables):
    """Create the halls and the ``hall`` columns of *tables* too; put every row in the hall there is.
    Return that hall's id (None for a fresh database)."""
    hall = _default_hall(conn)
    for statement in filter(str.strip, PORTABLE.split(";")):
        conn.execute(statement)
    for table in tables:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN hall TEXT REFERENCES halls (id)")
    if hall is None:
        return None
    conn.execute("INSERT INTO halls (id, name, created_at) VALUES (?, ?, ?)", hall)
    for table in (*ADDED_COLUMNS, *tables):
        conn.execute(f"UPDATE {table} SET hall = ?", (hall[0],))
    return hall[0]


def add_halls_sqlite(conn):
    """Migration step (SQLite): add the halls, put every row in the one hall there is, rebuild re-keyed tables."""
    hall = _add_portable(conn, ())
    for table, (create, columns, indexes) in SQLITE_REKEYED.items():
        _rebuild_sqlite(conn, table, create, columns, indexes, hall)
    return INDEXES


def add_halls_postgresql(conn):
    """Migration step (PostgreSQL): add the halls, put every row in the one hall there is, re-key in place."""
    _add_portable(conn, tuple(POSTGRESQL_REKEYED))
    for table, (old_key, new_key) in POSTGRESQL_REKEYED.items():
        conn.execute(f"ALTER TABLE {table} ALTER COLUMN hall SET NOT NULL, DROP CONSTRAINT {old_key}, "
                     f"ADD {new_key}")
    return INDEXES + POSTGRESQL_INDEXES


ADD_HALLS = PerDialect(sqlite=add_halls_sqlite, postgresql=add_halls_postgresql)


def _default_hall(conn):
    """(id, name, created_at) of the hall of a database that has a config, else None (a fresh database)."""
    first = conn.execute("SELECT saved_at FROM configs ORDER BY version LIMIT 1").fetchone()
    if first is None:
        return None
    body = json.loads(conn.execute("SELECT body FROM configs ORDER BY version DESC LIMIT 1").fetchone()[0])
    return body["hall"].get("id", DEFAULT_HALL), body["hall"]["name"], first[0]


def _rebuild_sqlite(conn, table, create, columns, indexes, hall):
    """Rebuild *table* as *create* (its key now with ``hall``), its rows copied into *hall*."""
    conn.execute(create)
    conn.execute(f"INSERT INTO {table}_new (hall, {columns}) SELECT ?, {columns} FROM {table}", (hall,))
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
    for index in indexes:
        conn.execute(index)
