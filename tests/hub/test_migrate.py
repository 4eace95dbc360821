"""``hallpost hub migrate``: SQLite hubs moved up into one PostgreSQL hub, every row once, checked, never twice."""
import json
import sqlite3
import subprocess
import sys

import psycopg
import pytest

from hub.store import Store, StoreError
from hub.store import transfer
from hub.store.connection import SQLiteConnection, connect
from hub.store.migrations import MIGRATIONS, migrate
from protocol.cli import main
from protocol.config import config_to_dict, load_config
from protocol.wire import encode_batch, parse_batch

from .conftest import DAY, HALL_TOML, TerminalClient, fingerprint, fresh, hub_app, local, script, serving
from .store.test_halls import TAOHUALING

pytestmark = pytest.mark.postgresql
# what a migration must carry over, counted on both sides
COPIED = ("halls", "configs", "terminals", "enrolment_codes", "facts", "anchors", "office_users", "leave_requests",
          "leave_approvals", "overtime_requests", "followup_closures", "inspections", "inspection_sheets", "settings")


def hub_of(path, clock, text=None, terminal="win-03", window="w03", sign_in=None):
    """A SQLite hub at *path* of the hall *text* (the example hall by default) with *terminal* enrolled, its morning
    pushed, a leave request approved, an overtime request, users, a follow-up closed and an inspection; its key."""
    document = config_to_dict(load_config(text or HALL_TOML.read_text(encoding="utf-8")))
    clock.set(local(DAY, "13:45"))
    with Store.open(path, clock=clock) as store:
        store.configs.save(document, "office")
        hall = store.configs.resolve()
        _, key = store.terminals.enrol(store.terminals.new_enrolment_code(window, "office"))
        day = script(terminal)
        if sign_in:
            day.presence(sign_in, "A", True)
        day.clock("13:40")
        store.facts.ingest(parse_batch(encode_batch(terminal, "0123abcd", day.facts, None), terminal))
        request = store.leave.add_request(hall=hall, clerk="c05", start="2026-11-25T08:30", end="2026-11-25T12:00",
                                          kind="personal", cover=None, note="家中有事", requested_by="office",
                                          requested_at="2026-11-24T05:00:00+00:00")
        store.leave.approve(request, "leader", approved_by="leader", approved_at="2026-11-24T05:10:00+00:00")
        store.overtime.add_request(hall=hall, window=window, start="2026-11-28T09:00", end="2026-11-28T12:00",
                                   clerks=["c05"], reason="周末加班", requested_by="office",
                                   requested_at="2026-11-24T05:20:00+00:00")
        store.users.add("office", "hash-of-office", "office")
        store.users.add(f"leader-{hall}", "hash-of-leader", "leader", department="综合窗口", hall=hall)
        store.followups.close(hall=hall, window=window, service=1, done="2026-11-24T01:00:00+00:00",
                              closed_by="office", closed_at="2026-11-24T05:30:00+00:00", note="已回访")
        inspection = store.inspections.add(hall=hall, day=DAY.isoformat(), slot="09:00", kind="manual",
                                           due_at=local(DAY, "09:00"), taken_at=local(DAY, "09:01"),
                                           taken_by="office", snapshot={"w03": "held"})
        store.inspections.save_sheet(hall=hall, inspection=inspection, window=window, saved_by="office",
                                     saved_at=local(DAY, "09:03"), sheet={"clerk": "c05", "present": 1, "dress": 0,
                                                                          "desk": 1, "attitude": 1, "note": "未着工装"})
        store.inspections.close(hall=hall, inspection=inspection, closed_by="office", closed_at=local(DAY, "09:05"))
        store.audit.add("office", "approve leave", {"request": request}, hall=hall)
        store.settings.secret_key()
    return bytes.fromhex(key)


def counts(database, tables=COPIED):
    """{table: rows} of *database* (a SQLite path or a PostgreSQL URL)."""
    conn = psycopg.connect(database) if "://" in str(database) else sqlite3.connect(database)
    try:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables}
    finally:
        conn.close()


def facts_of(database):
    """Every fact of *database* as (terminal, seq, body)."""
    conn = psycopg.connect(database) if "://" in str(database) else sqlite3.connect(database)
    try:
        return sorted(conn.execute("SELECT terminal, seq, body FROM facts").fetchall())
    finally:
        conn.close()


def hallpost(*args):
    """Run ``hallpost`` as a process; (exit status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "protocol.cli", *args], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_a_hub_moves_up_whole_and_its_terminal_keeps_pushing_with_its_key(tmp_path, clock, postgresql_database):
    source = tmp_path / "hub.sqlite"
    key = hub_of(source, clock)
    before = fingerprint(str(source))
    status, out, err = hallpost("hub", "migrate", "--to", postgresql_database, "--from", str(source))
    assert status == 0, err
    assert "counts and digests equal" in out and "facts" in out
    assert fingerprint(str(source)) == before, "the source is never changed"
    assert counts(postgresql_database)["facts"] > 0
    held = counts(source)
    assert counts(postgresql_database) == dict(held, settings=held["settings"] + 1), "and the migration's record"
    assert facts_of(postgresql_database) == facts_of(source)
    status, out, _ = hallpost("hub", "audit", "verify", "--database", postgresql_database)
    assert status == 0 and out.startswith("audit log intact"), out
    with Store.open(postgresql_database, clock=clock) as store, Store.open(source) as old:
        assert store.settings.secret_key() == old.settings.secret_key()
        assert [u["username"] for u in store.users.all()] == [u["username"] for u in old.users.all()]
        assert store.users.by_name("office")["id"] == old.users.by_name("office")["id"]
        assert [r["approvals"] for r in store.leave.requests()] == [r["approvals"] for r in old.leave.requests()]
        assert store.audit.entries(limit=1)[0]["action"] == "migrate hub"
        assert store.projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat()) == []
        rows = fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), clerk="c05")
        assert [(r["window"], r["status"]) for r in rows] == [("w03", "absent")], "derived anew in the target"
        new_id = store.leave.add_request(hall="hall", clerk="c05", start="2026-11-26T08:30", end="2026-11-26T12:00",
                                         kind="personal", cover=None, note="", requested_by="office",
                                         requested_at="2026-11-24T06:00:00+00:00")
        assert new_id == 2, "PostgreSQL's ids continue after the copied ones"
    held = len(facts_of(source))
    later = script("win-03", first_seq=held + 1)
    later.presence("13:50", "A", True)
    later.clock("13:55")
    clock.set(local(DAY, "13:56"))
    with serving(hub_app(postgresql_database, clock)) as base:
        terminal = TerminalClient(base, "win-03", key, clock=clock)
        answer = terminal.push(later.facts)
        terminal.close()
    assert answer.status_code == 200, answer.text
    assert answer.json()["acked"] == held + len(later.facts) > held
    assert len(facts_of(postgresql_database)) == held + len(later.facts)


def test_two_halls_become_one_center_and_the_shared_clerk_is_judged_across_them(tmp_path, clock,
                                                                                postgresql_database):
    street, taohualing = tmp_path / "street.sqlite", tmp_path / "taohualing.sqlite"
    hub_of(street, clock)
    hub_of(taohualing, clock, TAOHUALING, terminal="thl-01", window="w01", sign_in="08:20")
    assert main(["hub", "migrate", "--to", postgresql_database, "--from", str(street), "--from", str(taohualing)]) == 0
    assert counts(postgresql_database)["halls"] == 2
    assert facts_of(postgresql_database) == sorted(facts_of(street) + facts_of(taohualing))
    with Store.open(postgresql_database, clock=clock) as store:
        assert store.audit.verify() is None
        users = {u["username"]: u["hall"] for u in store.users.all()}
        assert users == {"office": None, "leader-hall": "hall", "leader-taohualing": "taohualing"}, \
            "the first source's office stays the center's; the second's 'office' name was taken, so not copied"
        assert [r["hall"] for r in store.leave.requests()] == ["taohualing", "hall"]
        sheets = store.inspections.sheets_between(DAY.isoformat(), DAY.isoformat())
        assert [(s["hall"], s["window"], store.inspections.get(s["inspection"])["hall"]) for s in sheets] == [
            ("hall", "w03", "hall"), ("taohualing", "w01", "taohualing")], "each sheet still with its inspection"
        rows = fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), clerk="c05")
        assert [(r["hall"], r["window"], r["status"], r["signed_in_at"]) for r in rows] == [
            ("hall", "w03", "on_time", "taohualing:w01"), ("taohualing", "w01", "on_time", "w01")]
        assert store.projections.rows("violations", start=DAY.isoformat(), end=DAY.isoformat(), kind="absent") == []


def test_a_second_run_or_a_target_that_holds_rows_is_refused_and_nothing_changes(tmp_path, clock, capsys,
                                                                                postgresql_database):
    source = tmp_path / "hub.sqlite"
    hub_of(source, clock)
    assert main(["hub", "migrate", "--to", postgresql_database, "--from", str(source)]) == 0
    capsys.readouterr()
    migrated = fingerprint(postgresql_database)
    assert main(["hub", "migrate", "--to", postgresql_database, "--from", str(source)]) == 2
    err = capsys.readouterr().err
    assert "--to: already migrated at" in err and f"from {source}; it is not done twice" in err
    assert fingerprint(postgresql_database) == migrated


def test_a_target_holding_a_hall_is_refused_naming_what_it_holds(tmp_path, clock, capsys, postgresql_database):
    source = tmp_path / "hub.sqlite"
    hub_of(source, clock)
    with Store.open(postgresql_database, clock=clock) as store:
        store.configs.save(config_to_dict(load_config(TAOHUALING)), "office")
    before = fingerprint(postgresql_database)
    assert main(["hub", "migrate", "--to", postgresql_database, "--from", str(source)]) == 2
    err = capsys.readouterr().err
    assert "--to: not an empty hub database (" in err and "configs: 1 rows" in err and "halls: 1 rows" in err
    assert fingerprint(postgresql_database) == before


def test_two_hubs_of_one_hall_id_are_refused_until_each_gets_its_own(tmp_path, clock, capsys, postgresql_database):
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    hub_of(first, clock)
    hub_of(second, clock, HALL_TOML.read_text(encoding="utf-8").replace('"win-', '"zg-'), terminal="zg-03")
    before = fingerprint(postgresql_database)
    assert main(["hub", "migrate", "--to", postgresql_database, "--from", str(first), "--from", str(second)]) == 2
    err = capsys.readouterr().err
    assert f"hall 'hall' is in both {first} and {second}: give each source its own hall id: --from A --hall-id" in err
    assert fingerprint(postgresql_database) == before
    assert main(["hub", "migrate", "--to", postgresql_database, "--from", str(first), "--hall-id", "street",
                 "--from", str(second), "--hall-id", "zhegou"]) == 0, capsys.readouterr().err
    with Store.open(postgresql_database, clock=clock) as store:
        assert [h["id"] for h in store.configs.halls()] == ["street", "zhegou"]
        assert store.configs.hall("zhegou").id == "zhegou"
        assert {t["id"]: t["hall"] for t in store.terminals.all()} == {"win-03": "street", "zg-03": "zhegou"}
        assert store.audit.verify() is None


def test_a_clerk_id_naming_another_person_in_another_hub_is_refused(tmp_path, clock, capsys, postgresql_database):
    street, taohualing = tmp_path / "street.sqlite", tmp_path / "taohualing.sqlite"
    hub_of(street, clock)
    hub_of(taohualing, clock, TAOHUALING.replace('name = "陈静"', 'name = "王芳"'), terminal="thl-01", window="w01")
    before = fingerprint(postgresql_database)
    assert main(["hub", "migrate", "--to", postgresql_database, "--from", str(street), "--from", str(taohualing)]) == 2
    err = capsys.readouterr().err
    assert f"--from {taohualing}: hall 'taohualing': clerks[0].name: clerk 'c05' is '陈静' in hall 'hall'" in err
    assert fingerprint(postgresql_database) == before


def test_the_record_of_a_migration_names_each_sources_digests(tmp_path, clock, postgresql_database):
    source = tmp_path / "hub.sqlite"
    hub_of(source, clock)
    assert main(["hub", "migrate", "--to", postgresql_database, "--from", str(source)]) == 0
    with psycopg.connect(postgresql_database) as conn:
        record = json.loads(conn.execute("SELECT value FROM settings WHERE name = 'migrated_from'").fetchone()[0])
    [copied] = record["sources"]
    assert copied["source"] == str(source) and copied["halls"] == {"hall": "hall"}
    assert copied["tables"]["facts"]["rows"] == len(facts_of(source))
    assert len(copied["tables"]["facts"]["sha256"]) == 64


def test_a_copy_that_does_not_match_its_source_is_undone(tmp_path, clock, postgresql_database, monkeypatch):
    source = tmp_path / "hub.sqlite"
    hub_of(source, clock)
    before = fingerprint(postgresql_database)
    insert_rows = transfer.insert_rows
    monkeypatch.setattr(transfer, "insert_rows", lambda conn, table, columns, rows: insert_rows(
        conn, table, columns, rows[:-1] if table == "facts" else rows))     # a copy losing a fact on its way
    with Store.open(postgresql_database, clock=clock) as store:
        sources = transfer.plan_sources([str(source)])
        with pytest.raises(StoreError, match=r"^facts: \d+ rows copied from .* \d+ read .*nothing was changed$"):
            transfer.migrate_hubs(store, sources)
        transfer.close_sources(sources)
    assert fingerprint(postgresql_database) == before


def test_a_source_that_is_missing_or_of_an_older_schema_is_refused_before_the_target_is_opened(tmp_path, capsys):
    missing, old = tmp_path / "missing.sqlite", tmp_path / "old.sqlite"
    nowhere = "postgresql://hallpost@127.0.0.1:9/none"          # never opened: the sources are refused first
    assert main(["hub", "migrate", "--to", nowhere, "--from", str(missing)]) == 2
    assert f"--from {missing}: cannot read it as a SQLite database" in capsys.readouterr().err
    assert not missing.exists(), "a source is never created"
    conn = SQLiteConnection(connect(str(old)))
    migrate(conn, MIGRATIONS[:6])
    conn.close()
    assert main(["hub", "migrate", "--to", nowhere, "--from", str(old)]) == 2
    assert (f"--from {old}: schema version 6, not {len(MIGRATIONS)} (open it once with this hallpost first"
            in capsys.readouterr().err)


def test_two_hubs_become_halls_of_one_sqlite_hub_every_fact_once(tmp_path, clock, capsys):
    street, taohualing, center = (tmp_path / f"{n}.sqlite" for n in ("street", "taohualing", "center"))
    hub_of(street, clock)
    hub_of(taohualing, clock, TAOHUALING, terminal="thl-01", window="w01", sign_in="08:20")
    assert main(["hub", "migrate", "--to", f"sqlite:///{center}", "--from", str(street),
                 "--from", str(taohualing)]) == 0, capsys.readouterr().err
    assert "counts and digests equal" in capsys.readouterr().out
    assert facts_of(center) == sorted(facts_of(street) + facts_of(taohualing))
    assert counts(center)["halls"] == 2
    with Store.open(str(center), clock=clock) as store:
        assert store.audit.verify() is None
        assert {t["id"]: t["hall"] for t in store.terminals.all()} == {"win-03": "hall", "thl-01": "taohualing"}
    migrated = fingerprint(str(center))
    assert main(["hub", "migrate", "--to", f"sqlite:///{center}", "--from", str(street)]) == 2
    assert "--to: already migrated at" in capsys.readouterr().err
    assert fingerprint(str(center)) == migrated


def test_an_unreachable_target_is_refused_in_one_line(tmp_path, clock, capsys):
    source = tmp_path / "hub.sqlite"
    hub_of(source, clock)
    nowhere = "postgresql://hallpost:secret@127.0.0.1:9/none"      # the discard port: nothing listens
    assert main(["hub", "migrate", "--to", nowhere, "--from", str(source)]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("hallpost hub: migrate: database: cannot connect to PostgreSQL: ") and '"127.0.0.1", port 9' in err
    assert err.endswith("the target was left as it was") and "secret" not in err
