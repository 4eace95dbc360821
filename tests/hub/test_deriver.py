"""The deriver is the one writer of projections: reads never derive; it catches up in the background or when a
page asks, and stops when closed."""
import signal
import subprocess
import sys
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest

from hub.deriver import Deriver, catch_up
from protocol.wire import encode_batch, parse_batch

from .busy import database_held
from .conftest import DAY, local, script

pytestmark = pytest.mark.backends


def push_w03(store, clock):
    """A push of w03's morning, its window-day left dirty."""
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    clock.set(local(DAY, "09:00"))
    day = script()
    day.presence("08:20", "A", True)
    store.facts.ingest(parse_batch(encode_batch("win-03", "0123abcd", day.facts), "win-03"))
    assert [d["dirty"] for d in store.projections.window_days(start=DAY.isoformat(), end=DAY.isoformat())] == [True]


def wait_for(condition):
    """Return once *condition()* holds (bounded: 10 s)."""
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_the_deriver_re_derives_pushed_window_days(store, clock, app):
    push_w03(store, clock)
    with Deriver(app.config["DATABASE"], clock=clock, interval_s=0.02) as deriver:
        wait_for(lambda: deriver.derived)
    assert deriver.derived == 1
    assert [(d["dirty"], d["derivations"]) for d in store.projections.window_days(start=DAY.isoformat(), end=DAY.isoformat())] \
        == [(False, 1)]
    assert not deriver.running
    deriver.close()                                  # idempotent


def test_a_database_too_busy_for_the_deriver_delays_it_and_does_not_stop_it(store, clock, app, database,
                                                                            monkeypatch):
    push_w03(store, clock)
    deriver = Deriver(database, clock=clock, interval_s=0.02)
    try:
        with database_held(database, "window_days", monkeypatch):
            deriver.start()
            wait_for(lambda: deriver.busy)
            assert deriver.busy and deriver.derived == 0
        wait_for(lambda: deriver.derived)
        assert deriver.running and deriver.derived == 1
    finally:
        deriver.close()


def test_the_deriver_takes_due_inspections_without_any_page_open(store, clock, app):
    clock.set(local(DAY, "11:50"))                   # after the morning's scheduled check (15 min before 12:00)
    with Deriver(app.config["DATABASE"], clock=clock, interval_s=0.02) as deriver:
        deadline = time.monotonic() + 10
        while deriver.inspections == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert deriver.inspections >= 1
    assert "scheduled-morning" in store.inspections.slots(DAY.isoformat())


def test_reads_never_derive_the_writer_catches_up_when_asked(store, clock):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    clock.set(local(DAY, "09:00"))
    day = script()
    day.presence("08:20", "A", True)
    store.facts.ingest(parse_batch(encode_batch("win-03", "0123abcd", day.facts), "win-03"))
    span = {"start": DAY.isoformat(), "end": DAY.isoformat()}
    assert store.projections.rows("holdings", **span, window="w03") == []
    assert [(d["dirty"], d["derivations"]) for d in store.projections.window_days(**span)] == [(True, 0)]
    assert catch_up(store, **span, window="w01") == 0, "another window's catch-up leaves w03 alone"
    assert catch_up(store, **span) == 1
    assert [r["clerk"] for r in store.projections.rows("holdings", **span, window="w03")] == ["c05"]
    assert catch_up(store, **span) == 0, "nothing dirty is left"


def test_the_writer_lock_is_held_one_window_day_at_a_time(store, clock, monkeypatch):
    """A page's catch-up or a due inspection waits for one window-day, never a whole backlog: the background's
    pass after an outage held the lock for a minute and the login page waited for it (bench/city.py)."""
    from hub import deriver
    push_w03(store, clock)
    store.dirty.mark("hall", store.configs.every(), [("w01", DAY.isoformat()), ("w02", DAY.isoformat())])
    log = []

    class Turn:
        def __enter__(self):
            log.append("take")

        def __exit__(self, *exc):
            log.append("give")

    derive_window_day = store.projections.derive_window_day
    monkeypatch.setattr(deriver, "_WRITER", Turn())
    monkeypatch.setattr(store.projections, "derive_window_day",
                        lambda *args, **kwargs: log.append("derive") or derive_window_day(*args, **kwargs))
    assert catch_up(store) == 3
    assert log == ["take", "derive", "give"] * 3 + ["take", "give"]


def test_a_catch_up_with_a_budget_begins_no_window_day_past_it(store, clock, monkeypatch):
    """A page derives for a bounded time (hub.admin.context.fresh); what is left is counted, for the background."""
    from hub import deriver
    push_w03(store, clock)
    store.dirty.mark("hall", store.configs.every(), [("w01", DAY.isoformat()), ("w02", DAY.isoformat())])
    assert store.projections.dirty() == 3 and store.projections.dirty(window="w02", hall="hall") == 1
    assert catch_up(store, budget_s=0) == 0 and store.projections.dirty() == 3
    moments = iter([0.0, 0.5, 1.5, 2.5])              # the deadline, then each look before a window-day
    monkeypatch.setattr(deriver, "time", SimpleNamespace(monotonic=lambda: next(moments)))
    assert catch_up(store, budget_s=2) == 2, "two begun before the deadline, the third not"
    assert store.projections.dirty() == 1
    assert store.projections.dirty(start=(DAY + timedelta(days=1)).isoformat()) == 0


def test_hub_background_derives_alone_and_ends_on_sigterm(store, clock, database):
    """``hallpost hub background``: the serving processes' background work in a process of its own (serve with
    ``--derive-every 0 --alert-every 0`` beside it); SIGTERM ends it cleanly."""
    push_w03(store, clock)
    span = {"start": DAY.isoformat(), "end": DAY.isoformat()}
    argv = [sys.executable, "-m", "protocol.cli", "hub", "background", "--database", str(database),
            "--derive-every", "0.05", "--public-url", "https://hub.example.gov.cn"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as work:
        try:
            wait_for(lambda: store.projections.window_days(**span)[0]["derivations"] == 1)
            assert [(d["dirty"], d["derivations"]) for d in store.projections.window_days(**span)] == [(False, 1)]
        finally:
            work.send_signal(signal.SIGTERM)
            out, err = work.communicate(timeout=20)
    assert work.returncode == 0, err
    assert out.startswith("hub background work on "), out
