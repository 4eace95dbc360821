"""``hallpost derive`` on the example hall's day: the full report, schema-valid and byte-stable."""
import json
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from protocol import cli
from protocol.config import load_config
from protocol.scenario import TerminalScript

ROOT = Path(__file__).resolve().parents[2]
HALL = ROOT / "hardware/hall/hall.toml"
DAY = ROOT / "hardware/hall/day-2026-11-24.jsonl"
SCHEMA = json.loads((ROOT / "protocol/schema/derive-output.schema.json").read_text())


def derive(*paths, config=HALL):
    return subprocess.run([sys.executable, "-m", "protocol.cli", "derive", "--config", str(config),
                           *map(str, paths)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def example():
    done = derive(DAY)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_report_matches_the_contract_schema(example):
    jsonschema.validate(json.loads(example), SCHEMA)


def test_the_vendored_schema_keeps_the_shared_contract_and_only_adds_to_it():
    shared = ROOT.parent / "shared/design/schema/derive-output.schema.json"
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    contract = json.loads(shared.read_text())
    assert contract["required"] == SCHEMA["required"] and contract["$defs"] == SCHEMA["$defs"]
    assert {key: SCHEMA["properties"][key] for key in contract["properties"]} == contract["properties"]


def test_the_same_facts_in_another_order_print_byte_identical_output(example, tmp_path):
    lines = DAY.read_text(encoding="utf-8").splitlines()
    random.Random(7).shuffle(lines)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("\n".join(lines + lines[:10]) + "\n", encoding="utf-8")
    assert derive(shuffled).stdout == example


def test_the_example_day_shows_each_windows_situation(example):
    report = json.loads(example)
    status = {(r["window"], r["clerk"], r["session"]): r["status"] for r in report["attendance"]}
    assert status[("w01", "c01", "morning")] == "leave"          # approved sick leave
    assert status[("w01", "c02", "morning")] == "on_time"        # B covers
    assert status[("w03", "c05", "morning")] == "late"
    assert status[("w06", "c11", "morning")] == "not_early"
    assert status[("w08", "c15", "morning")] == "absent"
    assert status[("w04", "c07", "afternoon")] == "on_time"      # pressed on a 1970 clock, anchored later
    assert report["uncertain"] == []
    kinds = {(v["kind"], v["window"]) for v in report["violations"]}
    assert {("late", "w03"), ("absent", "w08"), ("early_leave", "w04"), ("early_leave", "w07"),
            ("empty_window", "w04"), ("empty_window", "w06"), ("absent", "w06")} <= kinds
    assert ("empty_window", "w05") not in kinds
    assert [e["excused"] for e in report["empty_intervals"] if e["window"] == "w05"] == [True]
    lunch = next(h for h in report["handovers"] if h["window"] == "w06")
    assert (lunch["reason"], lunch["wait_seconds"], lunch["taken"]) == ("trip", 120, "2026-11-24T14:25:00+08:00")
    follow_ups = [(s["window"], s["score"]) for s in report["services"] if s["followup_due"]]
    assert sorted(follow_ups) == [("w07", 2), ("w08", 1)]
    assert all(not r["open"] for r in report["attendance"])


def test_a_bad_fact_exits_2_naming_its_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    lines = DAY.read_text(encoding="utf-8").splitlines()[:5]
    lines[3] = lines[3].replace('"seq":', '"seq":-3,"x":')
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = derive(bad)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and f"{bad}:4: " in done.stderr


def test_a_bad_config_exits_2_naming_the_key(tmp_path):
    config = tmp_path / "hall.toml"
    config.write_text(HALL.read_text(encoding="utf-8").replace('b = "c02"', 'b = "c77"'), encoding="utf-8")
    done = derive(DAY, config=config)
    assert done.returncode == 2
    assert done.stderr.strip() == "hallpost derive: windows[0].b: unknown clerk 'c77'"


def test_an_overtime_day_reports_hours_and_extra_time_within_the_contract(tmp_path):
    """R10: an approved Saturday span at w03 is a session; presence after it is extra time."""
    config = tmp_path / "hall.toml"
    config.write_text(HALL.read_text(encoding="utf-8") + '\n[[overtime]]\nwindow = "w03"\n'
                      'from = "2026-11-28T09:00:00+08:00"\nto = "2026-11-28T12:00:00+08:00"\n'
                      'clerks = ["c06"]\napproved_by = "office"\n', encoding="utf-8")
    day = TerminalScript("win-03", date(2026, 11, 28), load_config(config.read_text(encoding="utf-8")).tz)
    day.presence("09:10", "B")
    day.presence("12:40", "B", False)
    facts = tmp_path / "saturday.jsonl"
    facts.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in day.facts), encoding="utf-8")
    done = derive(facts, config=config)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    jsonschema.validate(report, SCHEMA)
    assert [(r["clerk"], r["session"], r["status"]) for r in report["attendance"]] == [
        ("c06", "overtime 09:00", "late")]
    assert [(r["clerk"], r["present_seconds"]) for r in report["overtime"]] == [("c06", 170 * 60)]
    assert [(r["clerk"], r["start"], r["end"]) for r in report["extra_time"]] == [
        ("c06", "2026-11-28T12:05:00+08:00", "2026-11-28T12:40:00+08:00")]
    assert [v["kind"] for v in report["violations"]] == ["empty_window", "late"]


class Group:
    """An entry point of ``hallpost.commands`` as importlib.metadata gives it."""

    def __init__(self, module, load):
        self.module, self.load = module, load


def test_command_groups_are_the_entry_points_registered_under_hallpost_commands(monkeypatch):
    def add_parser(subparsers):
        subparsers.add_parser("window").set_defaults(func=lambda args: 7)

    def not_installed():
        raise ModuleNotFoundError("No module named 'extra'", name="extra")

    groups = {"hallpost.commands": [Group("extra.cli", not_installed), Group("window.cli", lambda: add_parser)]}
    monkeypatch.setattr(cli, "entry_points", lambda group: groups.get(group, []))
    assert cli.main(["window"]) == 7
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["extra"])


def test_a_group_failing_to_import_for_another_reason_is_not_hidden(monkeypatch):
    def broken():
        raise ModuleNotFoundError("No module named 'flask'", name="flask")

    monkeypatch.setattr(cli, "entry_points", lambda group: [Group("hub.cli", broken)])
    with pytest.raises(ModuleNotFoundError, match="flask"):
        cli.build_parser()


@pytest.mark.parametrize("command, module", [(["terminal", "status"], "firmware.terminal.cli"),
                                             (["hub", "enrol-code", "--db", "h", "--window", "w01"], "hub.cli"),
                                             (["demo"], "firmware.sim.demo")])
def test_the_installed_groups_are_terminal_hub_and_demo(command, module):
    assert cli.build_parser().parse_args(command).func.__module__ == module
