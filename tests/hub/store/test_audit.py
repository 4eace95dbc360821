"""The audit log: hash-chained, append-only in the database itself, kept 180 days, verified from the command line."""
import json
import sqlite3
from datetime import timedelta

import pytest

from hub.store import Store
from hub.store.audit import GENESIS, row_hash
from hub.store.connection import connect
from hub.store.migrations import MIGRATIONS, migrate
from protocol.cli import main


@pytest.fixture
def bare(tmp_path, clock):
    """A store on a new database (no hall config, so no entry yet)."""
    with Store.open(tmp_path / "audit.sqlite", clock=clock) as opened:
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


def tamper(store, sql, args=()):
    """Run *sql* on the store's file with the audit triggers dropped first (an attacker with the file)."""
    conn = sqlite3.connect(store.conn.execute("PRAGMA database_list").fetchone()["file"], isolation_level=None)
    try:
        for trigger in ("audit_append_only", "audit_chained", "audit_retained"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute(sql, args)
    finally:
        conn.close()


def verify(store, capsys):
    path = store.conn.execute("PRAGMA database_list").fetchone()["file"]
    status = main(["hub", "audit", "verify", "--db", path])
    return status, capsys.readouterr().out


def test_each_row_holds_the_hash_of_the_one_before(log, capsys):
    rows = log.conn.execute("SELECT prev_hash, hash, at, actor, action, detail FROM audit ORDER BY id").fetchall()
    assert rows[0]["prev_hash"] == GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:]))
    assert all(r["hash"] == row_hash(r["prev_hash"], r["at"], r["actor"], r["action"], r["detail"]) for r in rows)
    assert log.audit.verify() is None
    assert verify(log, capsys) == (0, f"audit log intact: {len(rows)} rows\n")


def test_the_database_refuses_to_change_or_delete_a_recent_row(log):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        log.conn.execute("UPDATE audit SET actor = 'someone else' WHERE id = ?", (ids(log)[1],))
    with pytest.raises(sqlite3.IntegrityError, match="kept 180 days"):
        log.conn.execute("DELETE FROM audit WHERE id = ?", (ids(log)[0],))
    with pytest.raises(sqlite3.IntegrityError, match="prev_hash"):
        log.conn.execute("INSERT INTO audit (at, actor, action, detail, prev_hash, hash) VALUES "
                         "('2026-11-24T00:00:00+00:00', 'x', 'forged', '{}', ?, ?)", (GENESIS, GENESIS))
    assert log.audit.verify() is None and len(ids(log)) == 5


def test_verify_names_a_changed_row(log, capsys):
    target = ids(log)[2]
    tamper(log, "UPDATE audit SET detail = ? WHERE id = ?", (json.dumps({"id": "w99"}), target))
    status, out = verify(log, capsys)
    assert status == 1 and out.startswith(f"audit log broken at row {target}: hash does not match")


def test_verify_names_the_row_after_a_removed_one(log, capsys):
    rows = ids(log)
    tamper(log, "DELETE FROM audit WHERE id = ?", (rows[2],))
    status, out = verify(log, capsys)
    assert status == 1 and out.startswith(f"audit log broken at row {rows[3]}: prev_hash is not the hash")


def test_verify_notices_the_oldest_rows_removed_without_a_purge(log, capsys):
    rows = ids(log)
    tamper(log, "DELETE FROM audit WHERE id <= ?", (rows[1],))
    status, out = verify(log, capsys)
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
    with pytest.raises(sqlite3.IntegrityError, match="kept 180 days"):
        store.conn.execute("DELETE FROM audit WHERE action = 'recent action'")


def test_rows_written_before_the_chain_are_chained_by_the_migration(tmp_path):
    conn = connect(tmp_path / "old.sqlite")
    migrate(conn, MIGRATIONS[:4])  # all before the chain
    conn.executemany("INSERT INTO audit (at, actor, action, detail) VALUES (?, 'office', ?, '{}')",
                     [("2026-11-20T01:00:00+00:00", "login"), ("2026-11-20T02:00:00+00:00", "add user")])
    conn.close()
    with Store.open(tmp_path / "old.sqlite") as store:
        assert store.audit.verify() is None
        store.audit.add("office", "logout", {})
        assert store.audit.verify() is None and len(store.audit.entries()) == 3
