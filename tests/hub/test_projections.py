"""Projections per window-day: judged by when things happened, re-derived only where touched, provisional
until the terminal has reported past the day's end; unknown is never empty."""
from datetime import timedelta

import pytest

from hub.store import Store

from .conftest import DAY, enrol_over_http, fresh, hub_app, local, script, serving

pytestmark = pytest.mark.backends

NEXT_DAY = DAY + timedelta(days=1)
TABLES = ("attendance", "violations", "empty_intervals", "handovers", "services")


def w03_morning():
    """win-03 on DAY: A (c05) signs in on time, serves (rated 2), hands over to B for a meeting."""
    day = script()
    day.presence("08:20", "A", True)
    day.add("09:00", "done", post="A")
    day.add("09:00:20", "rating", service=4, score=2)
    day.handover("10:00", "A", "meeting")
    day.presence("10:01", "B", True)
    day.presence("11:58", "B", False)
    day.clock("12:01")
    return day.facts


def record(store, window="w03", day=DAY):
    return {t: fresh(store).projections.rows(t, start=day.isoformat(), end=day.isoformat(), window=window) for t in TABLES}


def derivations(store):
    return {(d["window"], d["day"]): d["derivations"] for d in store.projections.window_days(start="2000-01-01", end="2999-12-31")}


def test_a_morning_pushed_at_three_gives_the_same_record_as_pushed_live(terminal, store, clock, tmp_path):
    for fact in w03_morning():
        clock.set(local(DAY, "07:00") + timedelta(milliseconds=fact["mono_ms"], seconds=2))
        assert terminal.push([fact]).status_code == 200
    clock.set(local(DAY, "15:00"))
    live = record(store)
    late_app = hub_app(tmp_path / "late.sqlite", clock)
    with serving(late_app) as base, Store.open(late_app.config["DATABASE"], clock=clock) as late_store:
        late = enrol_over_http(base, late_store, "w03", clock)
        assert late.push(w03_morning()).json()["acked"] == len(w03_morning())
        pushed_at_three = record(late_store)
        late.close()
    assert pushed_at_three == live
    assert [(r["clerk"], r["session"], r["status"]) for r in live["attendance"]] == [("c05", "morning", "on_time")]
    assert [(r["score"], r["followup_due"]) for r in live["services"]] == [(2, "2026-12-15")]
    assert [(r["from_post"], r["to_post"], r["wait_seconds"]) for r in live["handovers"]] == [("A", "B", 60)]


def test_rows_stay_provisional_until_the_terminal_reports_past_the_day(terminal, store, clock):
    clock.set(local(DAY, "12:02"))
    terminal.push(w03_morning())
    assert all(r["provisional"] for r in fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat()))
    assert [r["session"] for r in record(store)["attendance"]] == ["morning"]   # the afternoon is not judged
    clock.set(local(NEXT_DAY, "07:01"))
    tomorrow = script(day=NEXT_DAY, first_seq=len(w03_morning()) + 1)
    assert terminal.push(tomorrow.facts).status_code == 200
    rows = record(store)["attendance"]
    assert [(r["session"], r["status"], r["provisional"]) for r in rows] == [
        ("morning", "on_time", False), ("afternoon", "absent", False)]


def two_days_of_w03_and_w04(enrol, clock):
    """w03 and w04 sign in on DAY and NEXT_DAY; returns {window: (client, NEXT_DAY's script)}."""
    clock.set(local(NEXT_DAY, "09:00"))
    pushed = {}
    for window in ("w03", "w04"):
        terminal = enrol(window)
        today = script(terminal.terminal)
        today.presence("08:21", "A", True)
        tomorrow = script(terminal.terminal, day=NEXT_DAY, first_seq=today.seq + 1)
        tomorrow.presence("08:22", "A", True)
        assert terminal.push(today.facts + tomorrow.facts).status_code == 200
        pushed[window] = (terminal, tomorrow)
    return pushed


def test_new_facts_re_derive_only_their_window_day(enrol, store, clock):
    pushed = two_days_of_w03_and_w04(enrol, clock)
    store.projections.derive_dirty()
    before = derivations(store)
    assert set(before.values()) == {1} and len(before) == 4
    terminal, tomorrow = pushed["w03"]
    tomorrow.add("08:40", "done", post="A")
    assert terminal.push(tomorrow.facts[-1:]).status_code == 200
    assert store.projections.derive_dirty() == 1
    assert derivations(store) == {**before, ("w03", NEXT_DAY.isoformat()): 2}


def test_a_leave_approved_later_re_derives_that_clerks_window_day_only(enrol, store, clock):
    two_days_of_w03_and_w04(enrol, clock)
    clock.set(local(NEXT_DAY + timedelta(days=1), "07:00"))
    enrol_days = store.projections.derive_dirty()
    before = derivations(store)
    document = store.configs.current()[1]
    leave = {"clerk": "c05", "from": local(DAY, "14:30").isoformat(), "to": local(DAY, "17:30").isoformat(),
             "kind": "personal", "approved_by": ["leader", "office"]}
    store.configs.save({**document, "leave": document["leave"] + [leave]}, "office")
    assert store.projections.derive_dirty() == 1
    assert derivations(store) == {**before, ("w03", DAY.isoformat()): 2}
    assert enrol_days == 4


def test_a_permit_re_derives_its_window_day_only(enrol, store, clock):
    two_days_of_w03_and_w04(enrol, clock)
    store.projections.derive_dirty()
    before = derivations(store)
    document = store.configs.current()[1]
    permit = {"window": "w04", "from": local(NEXT_DAY, "08:40").isoformat(),
              "to": local(NEXT_DAY, "08:50").isoformat(), "reason": "调取档案"}
    store.configs.save({**document, "permits": document["permits"] + [permit]}, "office")
    store.projections.derive_dirty()
    assert derivations(store) == {**before, ("w04", NEXT_DAY.isoformat()): 2}
    assert store.audit.entries(limit=1)[0]["action"] == "save config"


def test_a_leave_turns_absent_into_leave(terminal, store, clock):
    clock.set(local(NEXT_DAY, "07:01"))
    terminal.push(w03_morning() + script(day=NEXT_DAY, first_seq=len(w03_morning()) + 1).facts)
    assert [r["status"] for r in record(store)["attendance"]] == ["on_time", "absent"]
    document = store.configs.current()[1]
    leave = {"clerk": "c05", "from": local(DAY, "14:30").isoformat(), "to": local(DAY, "17:30").isoformat(),
             "kind": "personal", "approved_by": ["leader", "office"]}
    store.configs.save({**document, "leave": document["leave"] + [leave]}, "office")
    assert [(r["clerk"], r["status"]) for r in record(store)["attendance"]] == [
        ("c05", "on_time"), ("c05", "leave"), ("c06", "absent")]     # B must cover A's leave


def test_facts_without_a_clock_anchor_wait_for_one(terminal, store, clock):
    clock.set(local(DAY, "09:00"))
    unanchored = script(anchor=False)
    unanchored.presence("08:20", "A", True)
    terminal.push(unanchored.facts)
    assert [f["seq"] for f in store.facts.uncertain()] == [1, 2]
    assert record(store)["attendance"] == []
    unanchored.clock("08:59")
    terminal.push(unanchored.facts[-1:])
    assert store.facts.uncertain() == []
    assert [r["status"] for r in record(store)["attendance"]] == ["on_time"]


def test_a_silent_terminal_is_unknown_not_empty(enrol, store, clock):
    terminal = enrol("w03")
    clock.set(local(DAY, "08:21"))
    terminal.push(w03_morning()[:3], status={"keypad_present": True, "faults": []})
    wall = {w["window"]: w for w in store.live.wall()}
    assert (wall["w03"]["state"], wall["w03"]["holder_clerk"], wall["w03"]["keypad"]) == ("A", "c05", True)
    assert wall["w05"]["state"] == "unknown" and wall["w05"]["offline_since"] is None
    clock.set(local(DAY, "08:40"))
    wall = {w["window"]: w for w in store.live.wall()}
    assert wall["w03"]["state"] == "unknown"
    assert wall["w03"]["offline_since"] == local(DAY, "08:21").astimezone(clock().tzinfo).isoformat()
    assert wall["w03"]["empty_since"] is None and wall["w03"]["alarm"] is False


def test_renaming_changes_no_verdict_and_a_new_b_clerk_re_derives_that_window(enrol, store, clock):
    two_days_of_w03_and_w04(enrol, clock)
    store.projections.derive_dirty()
    before = derivations(store)
    document = store.configs.current()[1]
    renamed = {**document, "hall": {**document["hall"], "name": "新名字"},
               "clerks": [dict(c, name=c["name"] + "·") for c in document["clerks"]]}
    store.configs.save(renamed, "office")
    assert store.projections.derive_dirty() == 0
    windows = [dict(w, b="c16") if w["id"] == "w03" else w for w in renamed["windows"]]
    store.configs.save({**renamed, "windows": windows}, "office")
    assert store.projections.derive_dirty() == 2
    assert derivations(store) == {**before, ("w03", DAY.isoformat()): 2, ("w03", NEXT_DAY.isoformat()): 2}
