"""``hallpost hub wall``: the live wall as text, from a real hub database."""
import argparse
import io
from datetime import date, datetime, timezone

from firmware.sim.hallfile import sim_hall, to_toml
from hub import wall_text
from hub.store import Store
from protocol.config import config_from_dict
from protocol.scenario import TerminalScript
from protocol.wire import encode_batch, parse_batch

DAY = date(2026, 11, 24)
NOW = "2026-11-24T10:20:00+08:00"


def _hub(tmp_path):
    document = sim_hall(3, speed=1)
    config = config_from_dict(document)
    db = str(tmp_path / "hub.sqlite")
    (tmp_path / "hall.toml").write_text(to_toml(document), encoding="utf-8")
    now = datetime.fromisoformat(NOW).astimezone(timezone.utc)
    with Store.open(db, clock=lambda: now) as store:
        store.configs.save(document, "test")
        for window, presses in (("w01", [("08:20", "B", True)]),
                                ("w02", [("08:20", "A", True), ("10:05", "A", False)])):
            terminal, _ = store.terminals.enrol(store.terminals.new_enrolment_code(window, "test"))
            script = TerminalScript(terminal, DAY, config.tz)
            for when, post, on in presses:
                script.presence(when, post, on)
            script.clock("10:19")
            status = {"faults": ["journal_near_full"] if window == "w01" else []}
            store.facts.ingest(parse_batch(encode_batch(terminal, "5" * 32, script.facts, status), terminal))
            store.terminals.touch(terminal)
    return db


def _wall(db, lang="en"):
    args = argparse.Namespace(db=db, once=True, every=1.0, lang=lang)
    out = io.StringIO()
    assert wall_text.run(args, out=out) == 0
    return out.getvalue()


def test_the_wall_shows_who_holds_each_window_and_what_is_unknown(tmp_path, monkeypatch):
    monkeypatch.setenv("HALLPOST_CLOCK", f"scaled:{NOW}@1x")         # the hub's time, as the simulator sets it
    text = _wall(_hub(tmp_path))
    lines = text.splitlines()
    windows = {line.split()[0]: i for i, line in enumerate(lines) if line.startswith("w0")}
    assert lines[0].startswith("HallPost live wall  ") and lines[0].endswith("  2026-11-24 10:20:00")
    assert "Post B · 李娜" in lines[windows["w01"]] and "journal nearly full" in lines[windows["w01"] + 1]
    assert "Empty" in lines[windows["w02"]]
    assert "15 min, since 10:05:00" in lines[windows["w02"] + 1] and "ALARM" in lines[windows["w02"] + 1]
    assert "Unknown" in lines[windows["w03"]] and "never synced" in lines[windows["w03"]]
    assert "offline since" not in text.lower() and "-)" not in text, "a terminal never heard has no offline time"


def test_the_wall_reads_in_chinese_within_80_columns(tmp_path, monkeypatch):
    monkeypatch.setenv("HALLPOST_CLOCK", f"scaled:{NOW}@1x")
    text = _wall(_hub(tmp_path), lang="zh")
    lines = text.splitlines()
    assert lines[0].startswith("实时看板") and "B岗 · 李娜" in text and "10:05:00起，已15分钟" in text
    assert "日志将满" in text and "评价器" in text and "从未同步" in text and "未知：1" in lines[-1]
    assert max(wall_text.columns(line) for line in lines) <= 80, [line for line in lines if wall_text.columns(line) > 80]


def test_the_wall_on_the_real_clock_calls_silent_terminals_unknown(tmp_path, monkeypatch):
    monkeypatch.delenv("HALLPOST_CLOCK", raising=False)
    text = _wall(_hub(tmp_path))
    assert "Unknown: 3" in text.splitlines()[-1]


def test_a_bad_hallpost_clock_exits_2_quoting_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HALLPOST_CLOCK", "scaled:10:20@1x")
    assert wall_text.run(argparse.Namespace(db=str(tmp_path / "none.sqlite"), once=True, every=1.0, lang="en")) == 2
    assert capsys.readouterr().err.startswith("hallpost hub wall: HALLPOST_CLOCK: 'scaled:10:20@1x': ")
    assert not (tmp_path / "none.sqlite").exists()
