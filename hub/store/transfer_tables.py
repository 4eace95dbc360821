"""What moving a hub up copies, table by table, and how a copied table is counted and digested alike on both sides.

Every table of the schema is in exactly one of :data:`TABLES` (copied), :data:`DERIVED` (re-derived in the
target: every window-day the source knew is marked dirty, so links across halls are judged anew) or
:data:`TRANSIENT` (not copied: replay nonces, login lockouts); a table in none of them is refused, so a new
migration cannot be forgotten here. A table's digest is SHA-256 over its rows in key order (text keys
compared bytewise on both dialects), each row its values as compact JSON on a line.
"""
import hashlib
import json
from dataclasses import dataclass

# the settings row a migrated target keeps: when and from what (the sources' counts and digests)
MIGRATED = "migrated_from"


@dataclass(frozen=True)
class Table:
    """One copied table: its key (*text_key*: those of its columns that are text), which target rows came from one
    source (*of_source*: SQL over ``{halls}``, that source's halls, or ``?``..``?``, its range of *ids*), and its
    integer id columns renumbered per source (column -> the table whose ids it holds)."""

    name: str
    key: tuple
    text_key: tuple
    of_source: str
    ids: tuple = ()

    def order_by(self, dialect):
        """The ORDER BY list of the key, text compared bytewise (PostgreSQL's "C" collation, SQLite's default)."""
        return ", ".join(f'"{c}" COLLATE "C"' if dialect == "postgresql" and c in self.text_key else f'"{c}"'
                         for c in self.key)


BY_HALL = "hall IN ({halls})"
BY_ID = "id BETWEEN ? AND ?"
OF_TERMINALS = "terminal IN (SELECT id FROM terminals WHERE hall IN ({halls}))"
TABLES = (
    Table("halls", ("id",), ("id",), "id IN ({halls})"),
    Table("configs", ("hall", "version"), ("hall",), BY_HALL),
    Table("terminals", ("id",), ("id",), BY_HALL),
    Table("enrolment_codes", ("code_hash",), ("code_hash",), BY_HALL),
    Table("facts", ("terminal", "seq"), ("terminal",), BY_HALL),
    Table("anchors", ("terminal", "boot", "mono_ms", "offset_us"), ("terminal", "boot"), OF_TERMINALS),
    Table("boots", ("terminal", "boot"), ("terminal", "boot"), OF_TERMINALS),
    Table("office_users", ("id",), (), BY_ID, (("id", "office_users"),)),
    Table("leave_requests", ("id",), (), BY_HALL, (("id", "leave_requests"),)),
    Table("leave_approvals", ("request", "tier"), ("tier",),
          "request IN (SELECT id FROM leave_requests WHERE hall IN ({halls}))", (("request", "leave_requests"),)),
    Table("overtime_requests", ("id",), (), BY_HALL, (("id", "overtime_requests"),)),
    Table("followup_closures", ("hall", "window", "service", "done"), ("hall", "window", "done"), BY_HALL),
    Table("inspections", ("id",), (), BY_HALL, (("id", "inspections"),)),
    Table("case_steps", ("hall", "window", "service", "done", "seq"), ("hall", "window", "done"), BY_HALL),
    Table("rating_appeals", ("hall", "window", "service", "done"), ("hall", "window", "done"), BY_HALL),
    Table("inspection_sheets", ("inspection", "window"), ("window",), BY_HALL, (("inspection", "inspections"),)),
    Table("alerts", ("id",), (), BY_HALL, (("id", "alerts"),)),
    Table("settings", ("name",), ("name",), f"name <> '{MIGRATED}'"),
)
# the audit log is copied re-chained (hub.store.transfer): digested without its hashes
AUDIT = Table("audit", ("id",), (), BY_ID, (("id", "audit"),))
AUDIT_COLUMNS = ("id", "at", "actor", "action", "detail", "hall")
DERIVED = ("window_days", "projections")
# notifications are not carried over (docs/notifications.md): receivers' ids would clash when several hubs move
# into one; set them again with ``hallpost hub notify`` on the target (messages not sent by then are not carried)
NOTIFY = ("notify_receivers", "notify_routes", "notify_silences", "notify_incidents", "notify_outbox")
# the configs' stamp is drawn anew on the target once configs are copied (hub.store.configs)
TRANSIENT = ("nonces", "login_failures", "schema_version", "config_stamp", *NOTIFY)
# tables whose ids a later source's rows are moved past (PostgreSQL's identity sequences are set past them too)
ID_TABLES = ("office_users", "leave_requests", "overtime_requests", "inspections", "alerts", "audit")


def known_tables():
    """Every table name of the schema this module accounts for."""
    return {table.name for table in TABLES} | {AUDIT.name, *DERIVED, *TRANSIENT}


def table_names(conn):
    """The tables of *conn*'s database."""
    if conn.dialect == "postgresql":
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return {row[0] for row in conn.execute(sql)}


def columns_of(conn, table):
    """The column names of *table*, in the order the source's rows are read and digested."""
    cursor = conn.execute(f"SELECT * FROM {table} WHERE 1 = 0")
    return tuple(column[0] for column in cursor.description)


class Digest:
    """Rows counted and hashed as they pass, in order."""

    def __init__(self):
        self.rows, self._sha = 0, hashlib.sha256()

    def add(self, values):
        """Count and hash one row's values."""
        self.rows += 1
        self._sha.update(json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode() + b"\n")

    def result(self):
        """{"rows": count, "sha256": hex digest}."""
        return {"rows": self.rows, "sha256": self._sha.hexdigest()}


def select_of_source(conn, table, columns, halls, ids):
    """The target's rows of *table* that came from one source (its *halls*, its id range *ids* (low, high)),
    as (SQL, parameters), in key order."""
    where = table.of_source.format(halls=", ".join("?" for _ in halls))
    parameters = tuple(halls) if "{halls}" in table.of_source else ids if "?" in where else ()
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f"SELECT {quoted} FROM {table.name} WHERE {where} ORDER BY {table.order_by(conn.dialect)}", parameters


def digest_of_source(conn, table, columns, halls, ids):
    """Count and digest the target's rows of *table* that came from one source."""
    digest = Digest()
    sql, parameters = select_of_source(conn, table, columns, halls, ids)
    for row in conn.execute(sql, parameters):
        digest.add(row)
    return digest.result()


def insert_rows(conn, table, columns, rows):
    """Insert *rows* (tuples of *columns*) into *table*: PostgreSQL's COPY (several times faster than one INSERT per
    row), SQLite's executemany."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect != "postgresql":
        conn.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' for _ in columns)})", rows)
        return
    with conn.raw.cursor().copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def advance_identities(conn):
    """PostgreSQL: set each identity sequence past the ids copied in, so the next row takes a new one."""
    if conn.dialect != "postgresql":
        return                                  # SQLite's INTEGER PRIMARY KEY takes MAX(id) + 1 itself
    for table in ID_TABLES:
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table} "
                     "HAVING MAX(id) IS NOT NULL")
