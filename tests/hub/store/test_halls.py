"""Halls in the store: a hub of several halls, each with its own config, terminals and rows; a clerk scheduled
in two halls judged once per session across them; a single-hall database migrated into one hall."""
import json

import pytest

from hub.store import Store
from hub.store import configs as configs_module
from hub.store.audit import GENESIS, row_hash
from hub.store.connection import SQLiteConnection, connect
from hub.store.migrations import MIGRATIONS, migrate
from protocol.config import config_to_dict, load_config
from protocol.errors import ConfigError
from protocol.wire import encode_batch, parse_batch

from ..conftest import DAY, HALL_TOML, fresh, local, script
from .test_audit import tamper

# 桃花岭服务大厅 (M art. 18): mornings only; 陈静 (c05), A of the street hall's w03, is also A of its w01.
TAOHUALING = """
[hall]
id = "taohualing"
name = "桃花岭服务大厅"
timezone = "Asia/Shanghai"

[[sessions]]
name = "morning"
start = "08:30"
end = "12:00"

[[clerks]]
id = "c05"
name = "陈静"
[[clerks]]
id = "c12"
name = "孙悦"

[[windows]]
id = "w01"
name = "桃花岭1号窗口"
terminal = "thl-01"
a = "c05"
b = "c12"
"""


def document(text=TAOHUALING):
    return config_to_dict(load_config(text))


@pytest.fixture
def center(store):
    """The example hall (the hub's first, id "hall") and 桃花岭 added; both terminals of c05 enrolled."""
    assert store.configs.add_hall(document(), "office") == "taohualing"
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    store.terminals.enrol(store.terminals.new_enrolment_code("w01", "office", hall="taohualing"))
    return store


def push(store, terminal, day):
    store.facts.ingest(parse_batch(encode_batch(terminal, "0123abcd", day.facts, None), terminal))


def heard_morning(terminal, sign_in=None, anchor="13:40"):
    """*terminal*'s morning: A signs in at *sign_in* (or nobody does), the clock anchored at *anchor* (the
    morning settles at 13:30, when the afternoon's sign-in window opens)."""
    day = script(terminal)
    if sign_in:
        day.presence(sign_in, "A", True)
    day.clock(anchor)
    return day


def test_halls_keep_their_own_configs_and_the_first_is_the_default(center):
    assert [h["id"] for h in center.configs.halls()] == ["hall", "taohualing"]
    assert center.configs.hall().name == "梅溪湖街道便民服务大厅"
    assert center.configs.hall("taohualing").name == "桃花岭服务大厅"
    assert [v["version"] for v in center.configs.history("taohualing")] == [1]
    renamed = document(TAOHUALING.replace('name = "桃花岭服务大厅"', 'name = "桃花岭大厅"'))
    assert center.configs.save(renamed, "office", "taohualing") == 2
    assert center.configs.current()[2] == 1, "the other hall's versions are its own"
    with pytest.raises(ConfigError, match="hall.id: this is hall 'hall', not 'taohualing'"):
        center.configs.save(renamed, "office")


@pytest.mark.parametrize("old, new, message", [
    ('id = "taohualing"', 'id = "hall"', r"hall.id: the hub already has a hall 'hall'"),
    ('name = "陈静"', 'name = "陈晶"', r"clerks\[0\].name: clerk 'c05' is '陈静' in hall 'hall'"),
    ('terminal = "thl-01"', 'terminal = "win-03"', r"windows\[0\].terminal: terminal 'win-03' serves hall 'hall'"),
])
def test_a_hall_at_odds_with_the_others_is_refused(store, old, new, message):
    with pytest.raises(ConfigError, match=message):
        store.configs.add_hall(document(TAOHUALING.replace(old, new)), "office")
    assert [h["id"] for h in store.configs.halls()] == ["hall"]


def test_a_clerk_the_hall_has_may_be_renamed_a_new_one_must_be_the_same_person(center):
    renamed = TAOHUALING.replace('name = "陈静"', 'name = "陈晶"')
    assert center.configs.save(document(renamed), "office", "taohualing") == 2
    another = TAOHUALING + '[[clerks]]\nid = "c01"\nname = "张三"\n'
    with pytest.raises(ConfigError, match=r"clerks\[2\].name: clerk 'c01' is '张敏' in hall 'hall'"):
        center.configs.save(document(another), "office", "taohualing")


def test_a_terminal_enrols_with_its_halls_code_and_gets_its_halls_config(center):
    assert {t["id"]: t["hall"] for t in center.terminals.all()} == {"thl-01": "taohualing", "win-03": "hall"}
    view, version, _ = center.configs.terminal_config("thl-01")
    assert (view["hall"]["name"], [w["id"] for w in view["windows"]], version) == ("桃花岭服务大厅", ["w01"], 1)
    with pytest.raises(LookupError, match="unknown window 'w03' in hall 'taohualing'"):
        center.terminals.new_enrolment_code("w03", "office", hall="taohualing")
    assert [t["id"] for t in center.terminals.all("taohualing")] == ["thl-01"]


def test_a_sign_in_in_the_other_hall_counts_and_re_derives_this_halls_window(center, clock):
    clock.set(local(DAY, "13:45"))
    push(center, "win-03", heard_morning("win-03"))
    morning = fresh(center).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), clerk="c05")
    assert [(r["hall"], r["window"], r["status"]) for r in morning] == [("hall", "w03", "absent")]
    push(center, "thl-01", heard_morning("thl-01", "08:20"))
    rows = fresh(center).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), clerk="c05")
    assert [(r["hall"], r["window"], r["status"], r["signed_in_at"]) for r in rows] == [
        ("hall", "w03", "on_time", "taohualing:w01"), ("taohualing", "w01", "on_time", "w01")]
    assert center.projections.rows("violations", start=DAY.isoformat(), end=DAY.isoformat(), kind="absent") == []


def test_absent_in_both_halls_is_one_absence_per_person_session(center, clock):
    clock.set(local(DAY, "13:45"))
    push(center, "thl-01", heard_morning("thl-01"))
    push(center, "win-03", heard_morning("win-03"))
    absent = fresh(center).projections.rows("violations", start=DAY.isoformat(), end=DAY.isoformat(), kind="absent",
                                            clerk="c05")
    assert [(v["hall"], v["window"], v["session"], v["provisional"]) for v in absent] == [
        ("hall", "w03", "morning", False)]
    there = center.projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), hall="taohualing")
    assert [(r["window"], r["status"]) for r in there] == [("w01", "absent")]


def test_reads_filtered_by_hall_carry_it(center, clock):
    clock.set(local(DAY, "08:42"))
    thl = script("thl-01")
    thl.presence("08:20", "A", True)
    thl.done("08:40")
    thl.clock("08:41")
    push(center, "thl-01", thl)
    wall = center.live.wall(hall="taohualing")
    assert [(e["hall"], e["window"], e["state"]) for e in wall] == [("taohualing", "w01", "A")]
    assert {e["hall"] for e in center.live.wall()} == {"hall", "taohualing"}
    assert [(e["hall"], e["action"]) for e in center.audit.entries(hall="taohualing")][-2:] == [
        ("taohualing", "new enrolment code"), ("taohualing", "save config")]
    summary = fresh(center).reports.attendance_summary(DAY.isoformat(), DAY.isoformat(), hall="taohualing")
    assert [(line["clerk"], line["halls"], line["on_time"]) for line in summary] == [
        ("c05", ["taohualing"], 1), ("c12", ["taohualing"], 0)]
    both = {line["clerk"]: line for line in center.reports.attendance_summary(DAY.isoformat(), DAY.isoformat())}
    assert both["c05"]["halls"] == ["hall", "taohualing"] and both["c05"]["scheduled"] == 2
    services = fresh(center).reports.service_summary(DAY.isoformat(), DAY.isoformat(), by="clerk")
    assert [(r["clerk"], r["halls"], r["services"]) for r in services] == [("c05", ["hall", "taohualing"], 1)]
    assert [(r["hall"], r["window"]) for r in center.reports.service_summary(DAY.isoformat(), DAY.isoformat())] == [
        ("taohualing", "w01")]


def test_an_audit_row_about_a_hall_has_its_hall_in_the_hash(center, database):
    assert center.audit.verify() is None
    row = center.conn.execute("SELECT id FROM audit WHERE hall = 'taohualing' ORDER BY id DESC LIMIT 1").fetchone()
    tamper(database, "UPDATE audit SET hall = 'hall' WHERE id = ?", (row["id"],))
    assert center.audit.verify() == (row["id"], "changed")


def single_hall_database(path, text):
    """A database of one hall at schema 5 (before halls), with a row in each table that becomes per hall."""
    conn = SQLiteConnection(connect(str(path)))
    migrate(conn, MIGRATIONS[:5])
    body = json.dumps(config_to_dict(load_config(text)), ensure_ascii=False)
    conn.executescript(f"""
        INSERT INTO configs VALUES (1, 'e1', '{body}', 'init', '2026-11-01T00:00:00Z');
        INSERT INTO terminals (id, window, key, enrolled_at) VALUES ('win-03', 'w03', 'ab', '2026-11-01T00:00:00Z');
        INSERT INTO facts VALUES ('win-03', 1, 'b', 1, 'presence', 'w03', '{{}}', 1, '2026-11-24', 'x');
        INSERT INTO window_days (window, day) VALUES ('w03', '2026-11-24');
        INSERT INTO projections VALUES ('w03', '2026-11-24', 'services', NULL, NULL, NULL, 0, '{{}}');
        INSERT INTO followup_closures VALUES ('w03', 4, 'x', 'office', 'x', 'called back');
        INSERT INTO inspections (day, slot, kind, due_at, taken_at, snapshot) VALUES ('2026-11-24', 's', 'manual',
            'x', 'x', '[]');
        INSERT INTO enrolment_codes (code_hash, window, created_at, expires_at) VALUES ('h', 'w03', 'x', 'y');
        INSERT INTO leave_requests (clerk, start, "end", kind, requested_by, requested_at)
            VALUES ('c05', 'x', 'y', 'sick', 'office', 'x');
        INSERT INTO overtime_requests (window, start, "end", clerks, reason, requested_by, requested_at)
            VALUES ('w03', 'x', 'y', '["c05"]', 'backlog', 'office', 'x');
    """)
    at, detail = "2026-11-01T00:00:00Z", '{"version": 1}'
    conn.execute("INSERT INTO audit (at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
                 (at, "init", "save config", detail, GENESIS, row_hash(GENESIS, at, "init", "save config", detail)))
    conn.close()


@pytest.mark.parametrize("hall_line, hall", [("", "hall"), ('id = "street"\n', "street")])
def test_a_single_hall_database_migrates_into_its_one_hall(tmp_path, clock, hall_line, hall):
    text = HALL_TOML.read_text(encoding="utf-8").replace("[hall]\n", "[hall]\n" + hall_line, 1)
    single_hall_database(tmp_path / "old.sqlite", text)
    with Store.open(tmp_path / "old.sqlite", clock=clock) as store:
        assert store.configs.halls() == [{"id": hall, "name": "梅溪湖街道便民服务大厅",
                                          "created_at": "2026-11-01T00:00:00Z"}]
        for table in ("configs", "terminals", "facts", "window_days", "projections", "followup_closures",
                      "inspections", "enrolment_codes", "leave_requests", "overtime_requests"):
            assert [r[0] for r in store.conn.execute(f"SELECT hall FROM {table}")] == [hall], table
        assert store.configs.hall().name == "梅溪湖街道便民服务大厅"
        assert store.followups.closures(hall)[("w03", 4, "x")]["note"] == "called back"
        assert store.configs.add_hall(document(), "office") == "taohualing"
        assert [e["hall"] for e in store.audit.entries()] == ["taohualing", None]
        assert store.audit.verify() is None, "the row hashed before halls still holds, the new one with its hall"


def dirty_days(store, hall):
    return [(d["window"], d["dirty"]) for d in store.projections.window_days(start="2000-01-01", end="2999-12-31",
                                                                             hall=hall)]


def test_adding_a_hall_or_changing_a_shared_clerks_post_there_re_derives_the_other_hall(store, clock):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    clock.set(local(DAY, "13:45"))
    push(store, "win-03", heard_morning("win-03"))
    fresh(store)
    assert dirty_days(store, "hall") == [("w03", False)]
    store.configs.add_hall(document(), "office")
    assert dirty_days(store, "hall") == [("w03", True)], "c05 of w03 is now scheduled at 桃花岭 too"
    morning = fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), clerk="c05")
    assert [(r["status"], r["provisional"]) for r in morning] == [("absent", True)], "桃花岭's w01 is unheard"
    store.configs.save(document(TAOHUALING.replace('a = "c05"\nb = "c12"', 'a = "c12"\nb = "c05"')), "office",
                       "taohualing")
    assert dirty_days(store, "hall") == [("w03", True)], "c05 moved to B at 桃花岭"


@pytest.mark.backends
def test_a_push_to_a_hub_of_many_halls_parses_no_config_again(store, monkeypatch):
    """Every push reads every hall's current config (a clerk may work in two halls): with 40 halls, more than a
    small cache holds, the second read parses nothing and reads no config body."""
    for n in range(40):
        text = TAOHUALING.replace('id = "taohualing"', f'id = "town{n:02d}"').replace("thl-01", f"town{n:02d}-01")
        store.configs.add_hall(document(text), "office")
    assert len(store.configs.every()) == 41
    parsed = []
    monkeypatch.setattr(configs_module, "config_from_dict", lambda data: parsed.append(data) or load_config(""))
    monkeypatch.setattr(store.configs, "_body", lambda *a: parsed.append(a))
    assert len(store.configs.every()) == 41 and store.configs.hall("town07").windows[0].terminal == "town07-01"
    assert parsed == []
