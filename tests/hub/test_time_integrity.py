"""Integrity of time: a clock anchor ahead of the hub is refused over HTTP; ``hallpost hub repair-terminal``
undoes one the hub held before it refused them."""
from datetime import timedelta

import pytest

from hub.store import Store
from protocol.cli import main
from protocol.wire import encode_batch, parse_batch

from .conftest import DAY, enrol_over_http, fingerprint, fresh, hub_app, local, script, serving

DAY_AFTER = DAY + timedelta(days=2)           # a Thursday: a working day still to come on DAY


def forged_morning(hub_time):
    """win-03's morning whose second anchor (09:00) claims *hub_time*: the presence after it is timed from there."""
    day = script()
    day.presence("08:20", "A", True)
    day.add("09:00", "clock", hub_time=hub_time)
    day.presence("09:01", "A", False)
    return day.facts


def test_a_clock_anchor_ahead_of_the_hub_is_refused_naming_it_and_nothing_is_stored(terminal, store, clock, database):
    clock.set(local(DAY, "09:30"))
    db = database
    before = fingerprint(db)
    answer = terminal.push(forged_morning("2027-01-01T09:00:00+08:00"))
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("hub_time: 2027-01-01T09:00:00+08:00 of clock fact seq 4 of win-03 is ")
    assert "(at most 120 s ahead is allowed)" in answer.json()["error"]
    assert fingerprint(db) == before
    assert store.terminals.get("win-03")["reported_to_us"] is None


def test_an_anchor_within_the_allowance_is_held(terminal, store, clock):
    clock.set(local(DAY, "08:59"))      # the terminal's anchor at 09:00 is 60 s ahead: clocks differ that much
    assert terminal.push(forged_morning(local(DAY, "09:00").isoformat())).status_code == 200
    assert store.facts.count("win-03") == 5


def test_an_anchor_exactly_at_the_allowance_is_held_a_microsecond_past_it_refused(terminal, store, clock):
    clock.set(local(DAY, "08:58"))      # the default allowance: 120 s
    answer = terminal.push(forged_morning(local(DAY, "09:00").replace(microsecond=1).isoformat()))
    assert answer.status_code == 422 and " is 120 s after the hub's time " in answer.json()["error"]
    assert terminal.push(forged_morning(local(DAY, "09:00").isoformat())).status_code == 200


def test_the_allowance_is_the_hubs_setting(tmp_path, clock):
    clock.set(local(DAY, "08:00"))
    app = hub_app(tmp_path / "h.sqlite", clock)
    app.config["FUTURE_ALLOWANCE_S"] = 2 * 3600
    with serving(app) as base, Store.open(app.config["DATABASE"], clock=clock) as store:
        terminal = enrol_over_http(base, store, "w03", clock)
        assert terminal.push(forged_morning(local(DAY, "09:00").isoformat())).status_code == 200
        terminal.close()


@pytest.mark.parametrize("hub_time", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"])
def test_anchors_in_year_1_or_9999_are_refused_not_a_server_error(terminal, store, clock, hub_time):
    clock.set(local(DAY, "09:30"))
    answer = terminal.push(forged_morning(hub_time))
    assert answer.status_code == 400
    assert answer.json()["error"] == f"facts[3].hub_time: {hub_time!r} is outside 1969-12-31..2099-12-31 (UTC)"


def held_before_the_fix(path, clock, forged):
    """A database holding win-03's morning with a *forged* anchor, stored as the hub did before it refused
    future anchors: first the true part, then the forged anchor and the fact it times."""
    facts = forged_morning(forged)
    with Store.open(path, clock=clock, future_allowance_s=10 ** 10) as store:
        store.terminals.enrol(store.terminals.new_enrolment_code("w03", "test"))
        for part in (facts[:3], facts[3:]):
            store.facts.ingest(parse_batch(encode_batch("win-03", "ab" * 8, part), "win-03"))


def verdict(store, day):
    """[(clerk, session, status, provisional)] of the morning of w03 on *day*."""
    rows = fresh(store).projections.rows("attendance", start=day.isoformat(), end=day.isoformat(), window="w03")
    return [(r["clerk"], r["session"], r["status"], r["provisional"]) for r in rows if r["session"] == "morning"]


def test_repairing_a_terminal_undoes_a_future_anchor_held_before_the_hub_refused_them(tmp_path, clock):
    clock.set(local(DAY, "09:30"))
    db = tmp_path / "hall.sqlite"
    hub_app(db, clock)
    held_before_the_fix(db, clock, "2027-01-01T09:00:00+08:00")
    with Store.open(db, clock=clock) as store:
        # the damage: days to come judged (旷工) up to the false reported-up-to
        assert len(store.projections.window_days(start=DAY_AFTER.isoformat(), end="2099-12-31")) == 37
        done = store.repair.terminal("win-03", "test")
        assert done == {"terminal": "win-03", "window": "w03", "anchors_dropped": 1, "facts_untimed": 1,
                        "reported_to": "2026-11-24T09:01:00+08:00", "was_reported_to": "2027-01-01T09:01:00+08:00",
                        "days_forgotten": 38, "days_to_rederive": 1}
        assert verdict(store, DAY_AFTER) == []
        assert [w["day"] for w in store.projections.window_days(start="2000-01-01", end="2099-12-31")] == [DAY.isoformat()]
        assert verdict(store, DAY) == [("c05", "morning", "on_time", True)]
        assert [f["seq"] for f in store.facts.of_window("w03", DAY.isoformat())] == [1, 2, 3, 5]   # 09:01 by the true anchor
        assert [f["seq"] for f in store.facts.uncertain()] == [4]                          # the forged anchor
        assert store.audit.entries(limit=1)[0]["action"] == "repair terminal"
        assert store.repair.terminal("win-03", "test")["anchors_dropped"] == 0


def test_hub_repair_terminal_repairs_and_rederives(tmp_path, clock, capsys):
    clock.set(local(DAY, "09:30"))
    db = tmp_path / "hall.sqlite"
    hub_app(db, clock)
    held_before_the_fix(db, clock, "2099-01-01T09:00:00+08:00")      # the command runs on the real clock
    assert main(["hub", "repair-terminal", "--db", str(db), "--terminal", "win-03"]) == 0
    assert capsys.readouterr().out.startswith(
        "win-03: 1 clock anchors after the hub's time dropped, 1 facts no longer timed; "
        "reported up to 2026-11-24T09:01:00+08:00 (was 2099-01-01T09:01:00+08:00); ")
    with Store.open(db) as store:
        assert all(w["day"] <= store.now().astimezone(store.configs.hall().tz).date().isoformat() and not w["dirty"]
                   for w in store.projections.window_days(start="2000-01-01", end="2099-12-31"))


def test_hub_repair_terminal_names_an_unknown_terminal(tmp_path, clock, capsys):
    hub_app(tmp_path / "hall.sqlite", clock)
    assert main(["hub", "repair-terminal", "--db", str(tmp_path / "hall.sqlite"), "--terminal", "win-99"]) == 2
    assert "repair-terminal: terminal: 'win-99' was never enrolled at this hub" in capsys.readouterr().err
