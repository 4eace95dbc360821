"""The audit log: hash-chained, append-only in the database itself, kept 180 days, verified from the command line."""
import json
import sqlite3
import threading
from datetime import timedelta

import psycopg
import pytest

from hub.store import Store
from hub.store.audit import GENESIS, row_hash
from hub.store.connection import SQLiteConnection, connect
from hub.store.database import dialect_of
from hub.store.migrations import MIGRATIONS, migrate
from hub.store.postgresql import to_postgresql
from protocol.cli import main

pytestmark = pytest.mark.backends
# what the database raises when a trigger refuses, on SQLite and on PostgreSQL (plpgsql RAISE EXCEPTION)
REFUSED = (sqlite3.IntegrityError, psycopg.errors.RaiseException)


@pytest.fixture
def bare(database, clock):
    """A store on a new database (no hall config, so no entry yet)."""
    with Store.open(database, clock=clock) as opened:
        yield opened


@pytest.fixture
def log(bare, clock):
    """A store with five audit entries, one a minute."""
    store = bare
    for i in range(5):
        store.audit.add("office", "save window", {"id": f"w0{i}"})
        clock.advance(60)
    return store


def ids(store):
    return [row[0] for row in store.conn.execute("SELECT id FROM audit ORDER BY id")]


def tamper(database, sql, args=()):
    """Run *sql* on the database with the audit triggers dropped first (an attacker with the file, or the
    database's owner on PostgreSQL)."""
    if dialect_of(database) == "postgresql":
        with psycopg.connect(database, autocommit=True) as conn:
            conn.execute("ALTER TABLE audit DISABLE TRIGGER USER")
            conn.execute(to_postgresql(sql), args)
        return
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        for trigger in ("audit_append_only", "audit_chained", "audit_retained"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute(sql, args)
    finally:
        conn.close()


def verify(database, capsys):
    status = main(["hub", "audit", "verify", "--database", database])
    return status, capsys.readouterr().out


def test_each_row_holds_the_hash_of_the_one_before(log, database, capsys):
    rows = log.conn.execute("SELECT prev_hash, hash, at, actor, action, detail FROM audit ORDER BY id").fetchall()
    assert rows[0]["prev_hash"] == GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:]))
    assert all(r["hash"] == row_hash(r["prev_hash"], r["at"], r["actor"], r["action"], r["detail"]) for r in rows)
    assert log.audit.verify() is None
    assert verify(database, capsys) == (0, f"audit log intact: {len(rows)} rows\n")


def test_the_database_refuses_to_change_or_delete_a_recent_row(log):
    with pytest.raises(REFUSED, match="append-only"):
        log.conn.execute("UPDATE audit SET actor = 'someone else' WHERE id = ?", (ids(log)[1],))
    with pytest.raises(REFUSED, match="kept 180 days"):
        log.conn.execute("DELETE FROM audit WHERE id = ?", (ids(log)[0],))
    with pytest.raises(REFUSED, match="prev_hash"):
        log.conn.execute("INSERT INTO audit (at, actor, action, detail, prev_hash, hash) VALUES "
                         "('2026-11-24T00:00:00+00:00', 'x', 'forged', '{}', ?, ?)", (GENESIS, GENESIS))
    assert log.audit.verify() is None and len(ids(log)) == 5


def test_verify_names_a_changed_row(log, database, capsys):
    target = ids(log)[2]
    tamper(database, "UPDATE audit SET detail = ? WHERE id = ?", (json.dumps({"id": "w99"}), target))
    status, out = verify(database, capsys)
    assert status == 1 and out.startswith(f"audit log broken at row {target}: hash does not match")


def test_verify_names_the_row_after_a_removed_one(log, database, capsys):
    rows = ids(log)
    tamper(database, "DELETE FROM audit WHERE id = ?", (rows[2],))
    status, out = verify(database, capsys)
    assert status == 1 and out.startswith(f"audit log broken at row {rows[3]}: prev_hash is not the hash")


def test_verify_notices_the_oldest_rows_removed_without_a_purge(log, database, capsys):
    rows = ids(log)
    tamper(database, "DELETE FROM audit WHERE id <= ?", (rows[1],))
    status, out = verify(database, capsys)
    assert status == 1 and f"broken at row {rows[2]}: the oldest row follows a row that no purge removed" in out


def test_the_purge_removes_only_entries_past_the_retention_and_the_chain_still_holds(bare, clock):
    store, start = bare, clock()
    clock.set(start - timedelta(days=200))
    store.audit.add("office", "old action", {})
    clock.set(start - timedelta(days=179))
    store.audit.add("office", "recent action", {})
    clock.set(start)
    assert store.audit.purge("cli") == 1
    assert store.audit.purge("cli") == 0, "nothing more is old enough"
    actions = [e["action"] for e in store.audit.entries()]
    assert actions == ["purge audit log", "recent action"]
    assert store.audit.verify() is None
    with pytest.raises(REFUSED, match="kept 180 days"):
        store.conn.execute("DELETE FROM audit WHERE action = 'recent action'")


@pytest.mark.backends("sqlite")
def test_rows_written_before_the_chain_are_chained_by_the_migration(tmp_path):
    conn = SQLiteConnection(connect(tmp_path / "old.sqlite"))
    migrate(conn, MIGRATIONS[:4])  # all before the chain
    conn.executemany("INSERT INTO audit (at, actor, action, detail) VALUES (?, 'office', ?, '{}')",
                     [("2026-11-20T01:00:00+00:00", "login"), ("2026-11-20T02:00:00+00:00", "add user")])
    conn.close()
    with Store.open(tmp_path / "old.sqlite") as store:
        assert store.audit.verify() is None
        store.audit.add("office", "logout", {})
        assert store.audit.verify() is None and len(store.audit.entries()) == 3


@pytest.mark.backends("postgresql")
def test_postgresql_refuses_truncating_the_log(log):
    with pytest.raises(REFUSED, match="append-only"):
        log.conn.execute("TRUNCATE audit")
    assert len(ids(log)) == 5


def test_two_processes_appending_at_once_keep_one_chain(database, log, clock):
    """Each of two connections (two hub processes) appends in turn under the audit lock: no fork, no refusal."""
    errors = []

    def append(n):
        try:
            with Store.open(database, clock=clock) as store:
                for i in range(n):
                    store.audit.add(f"writer-{threading.get_ident()}", "save window", {"i": i})
        except Exception as exc:                    # noqa: BLE001 - the assertion below names it
            errors.append(exc)

    writers = [threading.Thread(target=append, args=(15,)) for _ in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    assert errors == []
    assert log.audit.size() == 5 + 30 and log.audit.verify() is None
