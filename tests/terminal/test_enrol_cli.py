"""``hallpost terminal enrol --hub URL --code CODE`` against the real hub on 127.0.0.1, and what it does to
the journal: a wiped terminal continues after the facts the hub holds; a running terminal's is left alone."""
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from firmware.terminal.cli import DEFAULT_CONFIG
from firmware.terminal.journal import Journal
from hub import create_app
from hub.store import Store
from protocol.cli import main
from protocol.facts import parse_fact
from protocol.scenario import TerminalScript
from protocol.wire import encode_batch, parse_batch
from tests.servers import serving, url_of, wsgi_server

HALL_TOML = Path(__file__).resolve().parents[2] / "hardware" / "hall" / "hall.toml"
HELD = 6      # facts of win-03 the hub holds from the old card


@pytest.fixture
def hub(tmp_path):
    """The hub on 127.0.0.1 holding win-03's first facts from its old card; (url, database)."""
    database = str(tmp_path / "hub.sqlite3")
    app = create_app({"DATABASE": database, "HALL_CONFIG": str(HALL_TOML)})
    with Store.open(database) as store:
        terminal, _ = store.terminals.enrol(store.terminals.new_enrolment_code("w03", "test"))
        day = TerminalScript(terminal, date(2026, 11, 24), ZoneInfo("Asia/Shanghai"))
        for minute in range(HELD - 2):
            day.presence(f"08:2{minute}", "A", minute % 2 == 0)
        store.facts.ingest(parse_batch(encode_batch(terminal, "a" * 32, day.facts), terminal))
    with serving(wsgi_server(app)) as server:
        yield url_of(server), database


@pytest.fixture
def settings(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_text(f'[terminal]\nid = "win-03"\nhub = "http://hub.invalid:1"\nkey_file = "terminal.key"\n'
                    f'journal = "journal"\npinmap = "p.toml"\n', encoding="utf-8")
    return path


def code(database):
    with Store.open(database) as store:
        return store.terminals.new_enrolment_code("w03", "test")


def press(n):
    return {"boot": "new-card", "mono_ms": 1000 + n, "wall": f"2026-11-24T10:00:0{n}+08:00", "kind": "presence",
            "post": "A", "on": True}


def test_a_wiped_terminal_enrols_with_hub_and_code_and_continues_after_the_hubs_facts(hub, settings, tmp_path,
                                                                                      capsys):
    url, database = hub
    assert main(["terminal", "enrol", "--config", str(settings), "--hub", url, "--code", code(database)]) == 0
    out = capsys.readouterr().out
    assert f"the hub holds facts up to seq {HELD}: this journal continues at seq {HELD + 1}" in out
    assert (tmp_path / "terminal.key").stat().st_mode & 0o777 == 0o600
    with Journal(tmp_path / "journal", terminal="win-03") as journal:
        fact = journal.append(press(1))
        store_id = journal.store_id
    assert fact["seq"] == HELD + 1
    with Store.open(database) as store:        # the hub takes the new card's facts: no reset, no gap
        assert store.facts.ingest(parse_batch(encode_batch("win-03", store_id, [parse_fact(fact)]), "win-03")) == HELD + 1


def test_a_running_terminal_ahead_of_the_hub_rotates_its_key_with_its_journal_untouched(hub, settings, tmp_path,
                                                                                        capsys):
    url, database = hub
    with Journal(tmp_path / "journal", terminal="win-03") as running:      # the service holds it open
        for n in range(HELD + 2):
            running.append(press(n % 10))
        assert main(["terminal", "enrol", "--config", str(settings), "--hub", url, "--code", code(database)]) == 0
        assert "continues" not in capsys.readouterr().out
        assert (running.next_seq, running.acked_seq) == (HELD + 3, 0)


def test_a_wiped_terminal_whose_service_already_runs_is_told_to_stop_it(hub, settings, tmp_path, capsys):
    url, database = hub
    with Journal(tmp_path / "journal", terminal="win-03") as running:
        running.append(press(1))
        assert main(["terminal", "enrol", "--config", str(settings), "--hub", url, "--code", code(database)]) == 2
        assert running.next_seq == 2
    err = capsys.readouterr().err
    assert f"the hub already holds facts up to seq {HELD} of win-03" in err and "stop hallpost-terminal" in err


def test_the_config_defaults_to_where_the_installer_writes_it(capsys):
    assert DEFAULT_CONFIG == "/etc/hallpost/terminal.toml"
    assert main(["terminal", "status"]) == 2
    assert DEFAULT_CONFIG in capsys.readouterr().err
