"""The store on its own: migrations by number, config versions, enrolment codes, audit, reports, live wall."""
import sqlite3
from datetime import datetime

import pytest

from hub.store import BadEnrolmentCode, Store
from hub.store.configs import etag_of
from hub.store.connection import SQLiteConnection, connect
from hub.store.migrations import MIGRATIONS, migrate, schema_version
from protocol.config import config_to_dict, load_config
from protocol.errors import ConfigError
from protocol.facts import parse_fact
from protocol.time import resolve_times
from protocol.wire import encode_batch, parse_batch

from .conftest import DAY, HALL_TOML, fresh, local, script
from .test_projections import NEXT_DAY, w03_morning

pytestmark = pytest.mark.backends


def test_migrate_applies_only_the_pending_migrations_in_order(tmp_path):
    conn = SQLiteConnection(sqlite3.connect(tmp_path / "m.sqlite", isolation_level=None))
    first = ["CREATE TABLE a (x)", "CREATE TABLE b (y)"]
    assert migrate(conn, first[:1]) == 1
    conn.execute("INSERT INTO a VALUES (1)")
    assert migrate(conn, first) == 2
    assert migrate(conn, first) == 2
    assert conn.execute("SELECT x FROM a").fetchall() == [(1,)]
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"a", "b"}


def test_a_failing_migration_leaves_the_version_and_tables_as_they_were(tmp_path):
    conn = SQLiteConnection(sqlite3.connect(tmp_path / "m.sqlite", isolation_level=None))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, ["CREATE TABLE a (x); CREATE TABLE a (x);"])
    assert schema_version(conn) == 0
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


def test_migration_6_numbers_the_projections_held_in_the_order_they_were_written(tmp_path):
    conn = SQLiteConnection(connect(tmp_path / "v5.sqlite"))
    assert migrate(conn, MIGRATIONS[:5]) == 5
    conn.executemany("INSERT INTO projections (window, day, tbl, at, provisional, row) VALUES ('w03', ?, ?, ?, 0, ?)",
                     [("2026-11-24", "services", "09:00", '{"n": 1}'), ("2026-11-24", "services", "09:00", '{"n": 2}')])
    assert migrate(conn) == len(MIGRATIONS)
    assert [tuple(r) for r in conn.execute("SELECT id, row FROM projections ORDER BY id")] == [
        (1, '{"n": 1}'), (2, '{"n": 2}')]


@pytest.mark.backends("sqlite")
def test_the_hub_database_is_at_the_latest_version_in_wal_mode_synced_per_commit(store):
    assert schema_version(store.conn) == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2, "FULL: an acknowledged push is on disk"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_config_versions_have_content_etags(store):
    hall, document, version, etag = store.configs.current()
    assert (version, etag) == (1, etag_of(document))
    assert store.configs.save(document, "office") == 1          # unchanged: no new version
    renamed = {**document, "hall": {**document["hall"], "name": "新大厅"}}
    assert store.configs.save(renamed, "office") == 2
    assert store.configs.current()[0].name == "新大厅" and store.configs.current()[3] != etag
    assert [v["version"] for v in store.configs.history()] == [2, 1]
    with pytest.raises(ConfigError, match=r"windows\[0\]\.a: unknown clerk 'nobody'"):
        store.configs.save({**document, "windows": [{**document["windows"][0], "a": "nobody"}]}, "office")
    assert store.configs.current()[2] == 2


def test_enrolment_codes_are_one_time_and_stored_hashed(store):
    code = store.terminals.new_enrolment_code("w03", "office")
    assert code not in " ".join(r[0] for r in store.conn.execute("SELECT code_hash FROM enrolment_codes"))
    terminal, key = store.terminals.enrol(code.lower())
    assert terminal == "win-03" and store.terminals.key("win-03") == bytes.fromhex(key)
    with pytest.raises(BadEnrolmentCode, match="already used"):
        store.terminals.enrol(code)
    with pytest.raises(LookupError, match="window: unknown window 'w99'"):
        store.terminals.new_enrolment_code("w99", "office")


def test_re_enrolling_replaces_the_key(store):
    _, first = store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    _, second = store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    assert first != second and store.terminals.key("win-03") == bytes.fromhex(second)


def test_every_office_action_is_audited(store, clock):
    store.terminals.new_enrolment_code("w03", "zhang")
    store.terminals.revoke(store.terminals.enrol(store.terminals.new_enrolment_code("w04", "zhang"))[0], "li")
    store.audit.add("li", "close follow-up", {"service": 4})
    entries = store.audit.entries()
    assert [(e["actor"], e["action"]) for e in entries] == [
        ("li", "close follow-up"), ("li", "revoke terminal"), ("terminal:win-04", "enrol"),
        ("zhang", "new enrolment code"), ("zhang", "new enrolment code"), ("init", "save config")]
    assert entries[0]["detail"] == {"service": 4} and entries[0]["at"] == clock().isoformat()
    assert [e["action"] for e in store.audit.entries(actor="li")] == ["close follow-up", "revoke terminal"]


def _ingest(store, facts, status=None):
    """Push *facts* of win-03 straight into the store (the API's path after verification)."""
    return store.facts.ingest(parse_batch(encode_batch("win-03", "0123abcd", facts, status), "win-03"))


def test_month_attendance_counts_statuses_and_marks_provisional_lines(store, clock):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    clock.set(local(NEXT_DAY, "07:01"))
    _ingest(store, w03_morning() + script(day=NEXT_DAY, first_seq=len(w03_morning()) + 1).facts)
    lines = {line["clerk"]: line for line in fresh(store).reports.month_attendance(2026, 11)}
    keys = ("scheduled", "attended", "on_time", "absent", "absent_violations", "provisional")
    assert {k: lines["c05"][k] for k in keys} == {      # 21 working days in November 2026, not yet all heard
        "scheduled": 42, "attended": 1, "on_time": 1, "absent": 1, "absent_violations": 1, "provisional": True}
    assert {k: lines["c01"][k] for k in keys} == {      # w01's terminal never reported: nothing judged, unknown
        "scheduled": 42, "attended": 0, "on_time": 0, "absent": 0, "absent_violations": 0, "provisional": True}
    assert (lines["c01"]["leave_sick"], lines["c01"]["leave_days"]) == (0.5, 0.5)


def test_service_summary_per_window(store, clock):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    clock.set(local(DAY, "12:02"))
    _ingest(store, w03_morning())
    assert fresh(store).reports.service_summary(DAY.isoformat(), DAY.isoformat()) == [
        {"hall": "hall", "window": "w03", "services": 1, "rated": 1, "average": 2.0, "satisfied_share": 0.0,
         "provisional": True}]


def test_a_days_service_figures_stay_provisional_until_the_terminal_reported_past_the_day(store, clock):
    """R3/R6: the morning's rows are final in the afternoon, but the day's count is not until the day is heard."""
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    afternoon = script(first_seq=len(w03_morning()) + 1, boot="win-03-afternoon", booted="13:40")
    clock.set(local(DAY, "13:45"))
    _ingest(store, w03_morning() + afternoon.facts)
    assert [r["provisional"] for r in fresh(store).projections.rows("services", start=DAY.isoformat(), end=DAY.isoformat())] == [False]
    assert [(r["window"], r["provisional"]) for r in fresh(store).reports.service_summary(DAY.isoformat(), DAY.isoformat())] == [
        ("w03", True)]


def test_live_wall_reads_the_keypad_from_facts_and_faults_from_status(store, clock):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    day = script()
    day.add("07:00:05", "keypad", attached=False)
    clock.set(local(DAY, "07:01"))
    _ingest(store, day.facts, {"faults": ["journal near full"]})
    w03 = next(w for w in store.live.wall() if w["window"] == "w03")
    assert (w03["state"], w03["keypad"], w03["faults"]) == ("nobody", False, ["journal near full"])
    assert w03["session"] is None


def test_a_store_reopened_keeps_everything(database, clock):
    path = database
    clock.set(local(DAY, "23:00"))      # after the morning's clock anchors (the hub refuses future ones)
    with Store.open(path, clock=clock) as store:
        store.configs.save(config_to_dict(load_config(HALL_TOML.read_text(encoding="utf-8"))), "init")
        store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
        _ingest(store, w03_morning())
    with Store.open(path, clock=clock) as store:
        assert store.facts.count("win-03") == len(w03_morning())
        assert store.settings.secret_key() == store.settings.secret_key()


def test_fact_times_are_exactly_those_of_protocol_time(store, clock):
    clock.set(local(DAY, "23:00"))      # after the anchors (the hub refuses future ones)
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    day = script()
    day.add("07:00:01", "clock", hub_time="2026-11-24T07:00:01.123457+08:00")
    day.presence("08:20", "A", True)
    day.add("09:00", "clock", hub_time="2026-11-24T09:00:00.000001+08:00")
    _ingest(store, day.facts)
    expected = {f.seq: t for t, f in resolve_times(store.configs.hall(), [parse_fact(f) for f in day.facts])[0]}
    held = {f["seq"]: datetime.fromisoformat(f["time"]) for f in store.facts.of_window("w03", DAY.isoformat())}
    assert held == expected
    assert {t.microsecond for t in held.values()} >= {123000}      # whole ms, from a µs anchor
