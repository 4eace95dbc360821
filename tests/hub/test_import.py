"""``hallpost hub import``: a dead terminal's exported journal reaches the hub, each fact exactly once."""
import json

import pytest

from firmware.sim.record import derived, differences, hub_rows
from firmware.terminal.journal import Journal
from protocol.cli import main

from .conftest import DAY, fingerprint, local, script


def whole_day():
    """win-03's day as its journal holds it: sign-in, a handover to B and back, services and ratings."""
    day = script()
    day.presence("08:20", "A", True)
    day.done("09:00")
    day.rating("09:00:20", 3, 5)
    day.handover("10:00", "B", "meeting")
    day.presence("10:00:30", "B", True)
    day.done("10:30", "B")
    day.rating("10:30:40", 8, 1)
    day.handover("11:00", "A")
    day.presence("11:00:20", "A", True)
    day.presence("17:31", "A", False)
    return day.facts


@pytest.fixture
def exported(tmp_path):
    """The day journaled by the terminal's real journal, then written out as `hallpost terminal export` does."""
    with Journal(tmp_path / "journal", terminal="win-03") as journal:
        for fact in whole_day():
            journal.append({k: v for k, v in fact.items() if k not in ("terminal", "seq")})
        path = tmp_path / "win-03.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            journal.export(out)
    return path


@pytest.fixture
def db(app):
    return app.config["DATABASE"]


def of_w03(tables):
    return {table: [row for row in rows if row["window"] == "w03"] for table, rows in tables.items()}


def facts_held(db_store):
    return [json.loads(r[0]) for r in db_store.conn.execute("SELECT body FROM facts ORDER BY terminal, seq")]


def test_import_stores_what_the_terminal_never_synced_once_and_the_record_matches_derive(
        terminal, store, db, exported, capsys, clock):
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert terminal.push([json.loads(line) for line in lines[:4]]).status_code == 200   # then the Pi died
    clock.set(local(DAY, "23:00"))          # the card is read that evening: the hub judges nothing ahead of its time
    seen = store.conn.execute("SELECT last_seen, status FROM terminals WHERE id = 'win-03'").fetchone()

    assert main(["hub", "import", "--db", db, str(exported)]) == 0
    assert capsys.readouterr().out == f"win-03: {len(lines) - 4} new facts, held up to seq {len(lines)}\n"
    assert [f["seq"] for f in facts_held(store)] == list(range(1, len(lines) + 1))
    assert tuple(store.conn.execute("SELECT last_seen, status FROM terminals WHERE id = 'win-03'").fetchone()) \
        == tuple(seen)                                # an import is not the terminal calling in
    ours = of_w03(derived(store.configs.hall(), [json.loads(line) for line in lines])[0])
    assert differences(of_w03(hub_rows(store, [DAY.isoformat()])), ours) == []
    assert ours["attendance"] and ours["handovers"] and ours["services"]    # the comparison covers real rows

    assert main(["hub", "import", "--db", db, str(exported), str(exported)]) == 0
    assert capsys.readouterr().out == f"win-03: 0 new facts, held up to seq {len(lines)}\n"
    assert len(facts_held(store)) == len(lines)


def test_an_import_contradicting_a_held_fact_stores_nothing(terminal, store, db, exported, capsys):
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert terminal.push([json.loads(line) for line in lines[:4]]).status_code == 200
    forged = json.loads(lines[3])
    forged["post"] = "B"
    exported.write_text("\n".join(lines[:3] + [json.dumps(forged)] + lines[4:]) + "\n", encoding="utf-8")
    before = fingerprint(db)
    assert main(["hub", "import", "--db", db, str(exported)]) == 2
    assert capsys.readouterr().err == ("hallpost hub: import: facts: seq 4 of win-03 is already held with different "
                                       "contents; nothing was stored\n")
    assert fingerprint(db) == before


@pytest.mark.parametrize("damage, message", [
    (lambda lines: lines[:2] + ["{not json"] + lines[3:], "win-03.jsonl:3: fact: not valid JSON"),
    (lambda lines: lines + [lines[5].replace('"seq":6', '"seq":6,"extra":1')], "win-03.jsonl:13: extra: unknown field for a handover fact"),
    (lambda lines: lines + [lines[5].replace('"post":"B"', '"post":"A"')], "seq: terminal win-03 seq 6 was given twice"),
    (lambda lines: [line.replace("win-03", "win-99") for line in lines], "terminal: 'win-99' was never enrolled"),
])
def test_a_bad_export_is_refused_naming_the_problem_and_stores_nothing(terminal, db, exported, capsys,
                                                                       damage, message):
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join(damage(lines)) + "\n", encoding="utf-8")
    before = fingerprint(db)
    assert main(["hub", "import", "--db", db, str(exported)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.endswith("; nothing was stored\n")
    assert fingerprint(db) == before
