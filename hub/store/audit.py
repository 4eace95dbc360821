"""The audit log: who did what in the office, and when; append-only, hash-chained, kept 180 days.

Each row holds the hash of the row before it (``prev_hash``) and its own (``hash``: SHA-256 of the previous
hash and the row's time, actor, action and detail, and its hall when the row is about one hall: rows written
before halls existed have none, so their hashes stay as they were). The database refuses UPDATE of any row,
an INSERT whose ``prev_hash`` is not the latest row's hash, and DELETE of a row less than :data:`RETENTION_DAYS` older than
the newest one (triggers of :data:`TRIGGERS`, on PostgreSQL the trigger functions of
:data:`POSTGRESQL_TRIGGERS`, which also refuse TRUNCATE); :meth:`AuditLog.purge` is the one way rows leave.
Appending takes the lock :data:`LOCK` first, so hub processes sharing one PostgreSQL chain their rows in turn.
"""
import hashlib
import json
from datetime import timedelta

from .times import utc_iso

GENESIS = "0" * 64
RETENTION_DAYS = 180
PURGE_ACTION = "purge audit log"
LOCK = "audit"
# What verify_audit can find wrong with a row, by code.
PROBLEMS = {
    "unlinked": "prev_hash is not the hash of the row before (a row was removed or changed)",
    "changed": "hash does not match the row's content (the row was changed)",
    "unpurged": "the oldest row follows a row that no purge removed (rows were deleted)",
}

TRIGGERS = f"""
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit: rows are append-only (UPDATE refused)');
END;
CREATE TRIGGER audit_chained BEFORE INSERT ON audit
WHEN NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '{GENESIS}')
BEGIN
    SELECT RAISE(ABORT, 'audit: prev_hash is not the hash of the latest row (INSERT refused)');
END;
CREATE TRIGGER audit_retained BEFORE DELETE ON audit
WHEN julianday(OLD.at) > julianday((SELECT MAX(at) FROM audit)) - {RETENTION_DAYS}
BEGIN
    SELECT RAISE(ABORT, 'audit: rows are kept {RETENTION_DAYS} days (DELETE refused)');
END;
"""

# The same guarantees as plpgsql trigger functions; the chain check takes the appenders' lock (LOCK), so it
# reads the latest row committed by any process (hashtext of the prefixed name: see hub.store.postgresql).
POSTGRESQL_TRIGGERS = f"""
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit: rows are append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_not_truncated BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE FUNCTION audit_chained() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('hallpost:{LOCK}'));
    IF NEW.prev_hash IS DISTINCT FROM COALESCE((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '{GENESIS}') THEN
        RAISE EXCEPTION 'audit: prev_hash is not the hash of the latest row (INSERT refused)';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_chained BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_chained();
CREATE FUNCTION audit_retained() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.at::timestamptz > (SELECT MAX(at)::timestamptz FROM audit) - interval '{RETENTION_DAYS} days' THEN
        RAISE EXCEPTION 'audit: rows are kept {RETENTION_DAYS} days (DELETE refused)';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER audit_retained BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_retained();
"""


def row_hash(prev_hash, at, actor, action, detail, hall=None):
    """The chain hash of one row: SHA-256 over the previous hash and the row's fields (detail as stored; the
    hall only when the row names one)."""
    fields = [prev_hash, at, actor, action, detail] + ([] if hall is None else [hall])
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def chain_existing_rows(conn):
    """Migration step: add the chain columns, hash the rows already there in id order, install the triggers."""
    conn.execute("ALTER TABLE audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT ''")
    prev = GENESIS
    for row in conn.execute("SELECT id, at, actor, action, detail FROM audit ORDER BY id").fetchall():
        digest = row_hash(prev, row["at"], row["actor"], row["action"], row["detail"])
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row["id"]))
        prev = digest
    return TRIGGERS


class AuditLog:
    """The audit table: append, read, verify and purge entries."""

    def __init__(self, conn, clock):
        self.conn, self.clock = conn, clock

    def add(self, actor, action, detail=None, *, hall=None):
        """Record that *actor* did *action* (short verb phrase) with *detail* (JSON-able), about *hall* (None: not
        about one hall); joins a transaction."""
        with self.conn.transaction():
            self.conn.lock(LOCK)
            last = self.conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            prev = GENESIS if last is None else last[0]
            at, text = utc_iso(self.clock()), json.dumps(detail, ensure_ascii=False, sort_keys=True)
            self.conn.execute("INSERT INTO audit (at, actor, action, detail, hall, prev_hash, hash) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)", (at, actor, action, text, hall, prev,
                                                               row_hash(prev, at, actor, action, text, hall)))

    def entries(self, *, limit=200, actor=None, since=None, action=None, before=None, hall=None):
        """The latest audit entries (newest first) as dicts with their ``hall``, optionally by *actor*, *action*,
        since an ISO time and before one (both UTC, as stored), or about *hall* only."""
        sql, args = "SELECT id, at, actor, action, detail, hall FROM audit WHERE 1=1", []
        for column, test, value in (("actor", "=", actor), ("action", "=", action), ("at", ">=", since),
                                    ("at", "<", before), ("hall", "=", hall)):
            if value is not None:
                sql, args = sql + f" AND {column} {test} ?", args + [value]
        rows = self.conn.execute(sql + " ORDER BY id DESC LIMIT ?", args + [limit]).fetchall()
        return [dict(row, detail=json.loads(row["detail"])) for row in rows]

    def size(self):
        """How many entries the audit log holds."""
        return self.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]

    def verify(self):
        """The first broken link of the chain as (row id, problem code of PROBLEMS), or None when every row holds."""
        prev, first, purged = None, None, {GENESIS}
        for row in self.conn.execute("SELECT id, at, actor, action, detail, hall, prev_hash, hash FROM audit "
                                     "ORDER BY id"):
            if first is None:
                first = row
            elif row["prev_hash"] != prev:
                return row["id"], "unlinked"
            if row["hash"] != row_hash(row["prev_hash"], row["at"], row["actor"], row["action"], row["detail"],
                                       row["hall"]):
                return row["id"], "changed"
            if row["action"] == PURGE_ACTION:
                purged.add(json.loads(row["detail"]).get("last_purged_hash"))
            prev = row["hash"]
        if first is not None and first["prev_hash"] not in purged:
            return first["id"], "unpurged"
        return None

    def purge(self, actor):
        """Delete the oldest entries, up to the first one less than 181 days old (a day's margin over the 180
        days the database keeps), after recording the purge; return how many went."""
        cutoff = utc_iso(self.clock() - timedelta(days=RETENTION_DAYS + 1))
        with self.conn.transaction():
            keep = self.conn.execute("SELECT MIN(id) FROM audit WHERE at >= ?", (cutoff,)).fetchone()[0]
            keep = keep if keep is not None else self.conn.execute("SELECT MAX(id) + 1 FROM audit").fetchone()[0]
            last = self.conn.execute("SELECT hash FROM audit WHERE id < ? ORDER BY id DESC LIMIT 1", (keep,)).fetchone()
            if last is None:
                return 0
            self.add(actor, PURGE_ACTION, {"before": cutoff, "last_purged_hash": last[0]})
            return self.conn.execute("DELETE FROM audit WHERE id < ?", (keep,)).rowcount
