"""Moving up: copy SQLite hubs into one empty hub database (PostgreSQL), every row once, checked by counts and digests.

One source is copied as it is (one hall or several), ids and all. Several single-hall sources become one center,
each a hall: a hall id two of them share is refused unless each is given its own (``hall_id``, written into its
configs); a clerk id naming another person in another hall, or a terminal id two sources hold, is refused
(:meth:`ConfigVersions.check_across_halls`, as when a hall is added). Ids of office users, leave, overtime,
inspections and audit rows of a later source are moved past the earlier sources' (references along); its users
of every hall become users of its hall (only the first source's stay the center's); a user name an earlier
source has is not copied and said so (the first keeps it). The first source's settings (session secret,
inspection secret) are the center's. The audit log is re-chained source after source (the target's chain must
verify; each source's last original hash is kept in the migration's own audit row).

Nothing is copied of the nonces and login lockouts (transient) nor of the projections: every window-day a
source knew is marked dirty and derived anew by the target's deriver. The sources are opened read-only in one
read transaction each. The whole copy is one transaction on the target: refused (:class:`TransferRefused`)
or failing its check, it leaves the target as it was. A target that holds anything, or was migrated into
already (its ``settings`` row :data:`MIGRATED`), is refused.
"""
import json
import sqlite3
from dataclasses import dataclass, field
from urllib.parse import quote

from protocol.config import config_from_dict, config_to_dict
from protocol.errors import ConfigError

from .audit import GENESIS, AuditLog, row_hash
from .configs import canonical, etag_of
from .connection import SQLiteConnection
from .database import dialect_of, sqlite_path
from .errors import StoreError
from .migrations import MIGRATIONS, schema_version
from .times import utc_iso
from .transfer_tables import (AUDIT, AUDIT_COLUMNS, ID_TABLES, MIGRATED, TABLES, Digest, advance_identities,
                              columns_of, digest_of_source, insert_rows, known_tables,
                              table_names)

BATCH = 2000
LOCK = "migrate"


class TransferRefused(StoreError):
    """A migration that may not run (a source or the target as they are); nothing was changed."""


@dataclass
class Source:
    """One SQLite hub being copied: its name, read-only connection, halls (source id -> target id) and id offsets."""

    name: str
    conn: object
    halls: dict
    offsets: dict = field(default_factory=dict)
    skipped_users: list = field(default_factory=list)
    scope_users: bool = False

    def id_range(self, table):
        """(lowest, highest) target id of this source's rows of *table*."""
        high = self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
        return self.offsets[table] + 1, self.offsets[table] + high


def open_source(database):
    """A read-only connection to the SQLite hub at *database*, in one read transaction (a consistent snapshot)."""
    if dialect_of(database) != "sqlite":
        raise TransferRefused(f"--from: {database!r} is not a SQLite hub (a path or sqlite:///path)")
    path = sqlite_path(database)
    try:
        raw = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, isolation_level=None)
        raw.row_factory = sqlite3.Row
        raw.execute("BEGIN")
        raw.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise TransferRefused(f"--from {path}: cannot read it as a SQLite database ({exc})") from None
    return SQLiteConnection(raw)


def plan_sources(databases, hall_ids=None):
    """Open and check every source; (database, chosen hall id or None) pairs in order. Return the Sources."""
    hall_ids = hall_ids or [None] * len(databases)
    if len(hall_ids) != len(databases):
        raise TransferRefused(f"--hall-id: give one per --from ({len(databases)}), got {len(hall_ids)}")
    sources = []
    try:
        for database, chosen in zip(databases, hall_ids):
            conn = open_source(database)
            sources.append(Source(str(database), conn, {}))
            sources[-1].halls = _halls_of(str(database), conn, chosen, several=len(databases) > 1)
        _refuse_shared(sources, "hall", lambda s: s.halls.values(), "give each source its own hall id: "
                       "--from A --hall-id ID --from B --hall-id ID, one per --from")
        _refuse_shared(sources, "terminal", lambda s: [r[0] for r in s.conn.execute("SELECT id FROM terminals")],
                       "a terminal id is one terminal in the center; re-enrol one of them under another id first")
    except TransferRefused:
        close_sources(sources)
        raise
    _plan_ids_and_users(sources)
    return sources


def close_sources(sources):
    """Close every source's connection (ending its read transaction)."""
    for source in sources:
        source.conn.close()


def _halls_of(name, conn, chosen, several):
    """The halls of source *conn* as {its id: id in the target}; checks its schema, tables and audit chain."""
    version, current = schema_version(conn), len(MIGRATIONS)
    if version != current:
        raise TransferRefused(f"--from {name}: schema version {version}, not {current} (open it once with this "
                              f"hallpost first, e.g. `hallpost hub audit verify --db {name}`)")
    unknown = table_names(conn) - known_tables()
    if unknown:
        raise TransferRefused(f"--from {name}: tables this migration does not know: {', '.join(sorted(unknown))}")
    broken = AuditLog(conn, None).verify()
    if broken is not None:
        raise TransferRefused(f"--from {name}: its audit log is broken at row {broken[0]} ({broken[1]}); "
                              "`hallpost hub audit verify` names it")
    halls = [row[0] for row in conn.execute("SELECT id FROM halls ORDER BY created_at, id")]
    if not halls:
        raise TransferRefused(f"--from {name}: not initialised (it has no hall)")
    if several and len(halls) > 1:
        raise TransferRefused(f"--from {name}: holds {len(halls)} halls; several sources must each be one hall")
    if chosen is not None and len(halls) > 1:
        raise TransferRefused(f"--hall-id {chosen}: {name} holds several halls, which keep their ids")
    return {hall: chosen or hall for hall in halls}


def _refuse_shared(sources, what, ids_of, fix):
    """Refuse when two sources hold the same *what* id (named, with the *fix*)."""
    seen = {}
    for source in sources:
        for value in ids_of(source):
            if value in seen:
                raise TransferRefused(f"{what} {value!r} is in both {seen[value]} and {source.name}: {fix}")
            seen[value] = source.name


def _plan_ids_and_users(sources):
    """Move each source's ids past the earlier ones'; list the user names an earlier source already has."""
    offsets, names = dict.fromkeys(ID_TABLES, 0), set()
    for index, source in enumerate(sources):
        source.offsets = dict(offsets)
        source.scope_users = index > 0
        for table in offsets:
            offsets[table] = source.id_range(table)[1]
        users = [row[0] for row in source.conn.execute("SELECT username FROM office_users ORDER BY id")]
        source.skipped_users = [user for user in users if user in names]
        names.update(users)


def refuse_unless_empty(conn):
    """Refuse a target migrated into already, or holding any row (naming the tables)."""
    unknown = table_names(conn) - known_tables()
    if unknown:
        raise TransferRefused(f"--to: tables this migration does not know: {', '.join(sorted(unknown))}")
    done = conn.execute("SELECT value FROM settings WHERE name = ?", (MIGRATED,)).fetchone()
    if done is not None:
        record = json.loads(done[0])
        raise TransferRefused(f"--to: already migrated at {record['at']} from "
                              f"{', '.join(s['source'] for s in record['sources'])}; it is not done twice "
                              "(nothing was changed)")
    held = []
    for name in sorted(known_tables() - {"schema_version"}):
        rows = conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
        if rows:
            held.append(f"{name}: {rows} rows")
    if held:
        raise TransferRefused(f"--to: not an empty hub database ({'; '.join(held)}); migrate into a new one "
                              "(e.g. createdb), nothing was changed")


def migrate_hubs(store, sources, actor="hallpost hub migrate"):
    """Copy *sources* into *store*'s empty database in one transaction, check every count and digest, record the
    migration; return the record ({"at", "sources": [{source, halls, tables: {name: {rows, sha256}}}]})."""
    conn = store.conn
    with conn.transaction():
        conn.lock(LOCK)
        refuse_unless_empty(conn)
        copied = []
        for index, source in enumerate(sources):
            _check_clerks(store, source)
            tables = {table.name: _copy_table(conn, source, table) for table in TABLES
                      if index == 0 or table.name != "settings"}
            tables["audit"] = _copy_audit(conn, source)
            store.configs.changed()         # the target's configs are no longer those read before the copy
            _mark_window_days(conn, source)
            _verify(conn, source, tables)
            copied.append({"source": source.name, "halls": source.halls, "skipped_users": source.skipped_users,
                           "tables": {name: {k: v for k, v in digest.items() if k != "columns"}
                                      for name, digest in tables.items()}})
        advance_identities(conn)
        record = {"at": utc_iso(store.now()), "sources": copied}
        store.audit.add(actor, "migrate hub", {"sources": [
            {"source": c["source"], "halls": c["halls"], "audit_rows": c["tables"]["audit"]["rows"],
             "last_hash": c["tables"]["audit"]["last_hash"], "skipped_users": c["skipped_users"]} for c in copied]})
        broken = store.audit.verify()
        if broken is not None:
            raise StoreError(f"audit: the migrated chain is broken at row {broken[0]} ({broken[1]})")
        conn.execute("INSERT INTO settings (name, value) VALUES (?, ?)", (MIGRATED, json.dumps(record)))
    return record


def _check_clerks(store, source):
    """Refuse a source whose hall names a clerk id another hall of the target gives to another person."""
    for hall, target_hall in source.halls.items():
        body = source.conn.execute("SELECT body FROM configs WHERE hall = ? ORDER BY version DESC LIMIT 1",
                                   (hall,)).fetchone()[0]
        try:
            store.configs.check_across_halls(target_hall, config_from_dict(json.loads(body)), set())
        except ConfigError as exc:
            raise TransferRefused(f"--from {source.name}: hall {target_hall!r}: {exc}") from None


def _copy_table(conn, source, table):
    """Copy one table of *source* in batches, its rows mapped into the target; return the source side's digest."""
    columns = columns_of(source.conn, table.name)
    map_row = _mapper(source, table, columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    digest = Digest()
    cursor = source.conn.execute(f"SELECT {quoted} FROM {table.name} ORDER BY {table.order_by('sqlite')}")
    while batch := cursor.fetchmany(BATCH):
        rows = [mapped for mapped in map(map_row, batch) if mapped is not None]
        for row in rows:
            digest.add(row)
        if rows:
            insert_rows(conn, table.name, columns, rows)
    return {"columns": list(columns), **digest.result()}


def _mapper(source, table, columns):
    """A function of a source row: its values as the target holds them (None: not copied)."""
    at = {column: i for i, column in enumerate(columns)}
    renamed = {old: new for old, new in source.halls.items() if old != new}
    hall_column = "id" if table.name == "halls" else "hall" if "hall" in at else None
    (only_hall,) = source.halls.values() if source.scope_users else (None,)

    def map_row(row):
        values = list(row)
        if table.name == "office_users" and values[at["username"]] in source.skipped_users:
            return None
        if hall_column is not None and values[at[hall_column]] in renamed:
            values[at[hall_column]] = renamed[values[at[hall_column]]]
            if table.name == "configs":
                values[at["etag"]], values[at["body"]] = _renamed_config(values[at["body"]], values[at["hall"]])
        if table.name == "office_users" and values[at["hall"]] is None:
            values[at["hall"]] = only_hall
        for column, of in table.ids:
            values[at[column]] += source.offsets[of]
        return tuple(values)
    return map_row


def _renamed_config(body, hall):
    """(etag, body) of a stored config *body* given the ``[hall] id`` *hall*."""
    document = json.loads(body)
    document["hall"]["id"] = hall
    document = config_to_dict(config_from_dict(document))
    return etag_of(document), canonical(document)


def _copy_audit(conn, source):
    """Copy *source*'s audit rows in order, re-chained onto the target's chain; their digest without hashes and
    the source's last original hash."""
    last = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = last[0] if last is not None else GENESIS
    map_row = _mapper(source, AUDIT, AUDIT_COLUMNS)
    digest, original = Digest(), None
    insert = ("INSERT INTO audit (id, at, actor, action, detail, hall, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    cursor = source.conn.execute(f"SELECT {', '.join(AUDIT_COLUMNS)}, hash FROM audit ORDER BY id")
    while batch := cursor.fetchmany(BATCH):
        rows = []
        for row in batch:
            values, original = map_row(row[:-1]), row[-1]
            digest.add(values)
            prev_hash, prev = prev, row_hash(prev, *values[1:])
            rows.append((*values, prev_hash, prev))
        conn.executemany(insert, rows)
    return {"columns": list(AUDIT_COLUMNS), **digest.result(), "last_hash": original}


def _mark_window_days(conn, source):
    """Mark every window-day *source* knew dirty in the target (its projections are derived anew)."""
    rows = [(source.halls[row[0]], row[1], row[2]) for row in
            source.conn.execute('SELECT hall, "window", day FROM window_days ORDER BY hall, "window", day')]
    conn.executemany('INSERT INTO window_days (hall, "window", day, dirty) VALUES (?, ?, ?, 1)', rows)


def _verify(conn, source, tables):
    """Read back what came from *source*: every table's count and digest must equal the source side's."""
    halls = tuple(source.halls.values())
    for table in (*(t for t in TABLES if t.name in tables), AUDIT):
        expected = tables[table.name]
        ids = source.id_range(table.ids[0][1]) if table.ids else ()
        got = digest_of_source(conn, table, expected["columns"], halls, ids)
        if (got["rows"], got["sha256"]) != (expected["rows"], expected["sha256"]):
            raise StoreError(f"{table.name}: {got['rows']} rows copied from {source.name} (digest {got['sha256']}),"
                             f" {expected['rows']} read (digest {expected['sha256']}); nothing was changed")

