"""Writers meeting on one database: a deadlock is DatabaseBusy with its transaction rolled back; SQLite's writers
of a process take turns in the order they came (a push waiting while the deriver works goes next); a config
change and a push marking the same window-days lock them in one order; two processes closing one follow-up at
once close it once; the PostgreSQL pool of ``hub serve`` has a connection per thread."""
import argparse
import threading
import time

import pytest

from hub import serving
from hub.store import AlreadyClosed, DatabaseBusy, Store
from hub.store import postgresql
from hub.store.postgresql import close_pool, connect_postgresql

from .test_many_processes import DAYS, hall, wait_until_blocked, while_held  # noqa: F401 - hall: the fixture

pytestmark = pytest.mark.backends


def run_in_thread(call):
    """Start *call* in a thread; return the thread and the list that will hold its result or exception."""
    outcome = []

    def run():
        try:
            outcome.append(call())
        except Exception as exc:                    # noqa: BLE001 - the caller asserts what it was
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.backends("postgresql")
def test_a_deadlock_is_database_busy_and_its_transaction_is_rolled_back(hall, database, clock):  # noqa: F811
    barrier = threading.Barrier(2, timeout=30)

    def locking(first, second):
        with Store.open(database, clock=clock) as store:
            try:
                with store.transaction():
                    store.conn.lock(first)
                    barrier.wait()
                    store.conn.lock(second)
                return "committed"
            finally:
                assert not store.conn.in_transaction()
                assert store.conn.execute("SELECT 1").fetchone()[0] == 1, "the connection is usable after"

    one, one_outcome = run_in_thread(lambda: locking("a", "b"))
    two, two_outcome = run_in_thread(lambda: locking("b", "a"))
    for thread in (one, two):
        thread.join(timeout=60)
    outcomes = one_outcome + two_outcome
    assert sorted(map(type, outcomes), key=str) == sorted([str, DatabaseBusy], key=str)
    [busy] = [o for o in outcomes if isinstance(o, DatabaseBusy)]
    assert str(busy).startswith("database: busy (a deadlock with another transaction: deadlock detected")


@pytest.mark.backends("sqlite")
def test_a_writer_waiting_while_another_writes_goes_before_that_ones_next_transaction(hall, database,  # noqa: F811
                                                                                      clock):
    order = []
    def push():
        with Store.open(database, clock=clock) as pusher, pusher.transaction():
            order.append("push")

    with Store.open(database, clock=clock) as deriver:
        with deriver.transaction():                 # the deriver's loop: one transaction per window-day
            order.append("window-day 1")
            thread, outcome = run_in_thread(push)
            for _ in range(3000):
                if deriver.conn.turns.waiting:
                    break
                time.sleep(0.01)
        with deriver.transaction():
            order.append("window-day 2")
        thread.join(timeout=30)
    assert order == ["window-day 1", "push", "window-day 2"] and outcome == [None]


@pytest.mark.backends("postgresql")
def test_a_config_change_and_a_push_marking_the_same_window_days_at_once_wait_for_each_other(  # noqa: F811
        hall, database, clock):
    day = DAYS[0].isoformat()
    for window in ("w05", "w01"):                   # w05's row first in the table: a scan meets it before w01's
        hall.conn.execute('INSERT INTO window_days (hall, "window", day, dirty) VALUES (?, ?, ?, 0)',
                          ("hall", window, day))
    _, document, version, _ = hall.configs.current()
    stricter = {**document, "rules": {**document["rules"], "leave_late_min": 10}}

    def config_change():
        with Store.open(database, clock=clock) as office, office.transaction():
            for scan in ("indexscan", "bitmapscan"):    # as on a big table, where most rows match: a table scan
                office.conn.execute(f"SET LOCAL enable_{scan} = off")
            return office.configs.save(stricter, "office")

    with Store.open(database, clock=clock) as pushing:
        with pushing.transaction():                 # a push marks its window-days in key order: w01, then w05
            pushing.dirty.mark("hall", pushing.configs.every(), [("w01", day)])
            thread, outcome = run_in_thread(config_change)
            wait_until_blocked(pushing)
            pushing.dirty.mark("hall", pushing.configs.every(), [("w05", day)])
        thread.join(timeout=60)
    assert outcome == [version + 1]
    assert {(d["window"], d["dirty"]) for d in hall.projections.window_days(start=day, end=day)} >= \
        {("w01", 1), ("w05", 1)}


@pytest.mark.backends("postgresql")
def test_two_processes_closing_one_follow_up_at_once_close_it_once(hall, database, clock):  # noqa: F811
    def close(note):
        return lambda store: store.followups.close(hall="hall", window="w03", service=3, closed_by="office",
                                                   done="2026-11-24T09:20:00+08:00", closed_at=clock().isoformat(),
                                                   note=note)

    _, second = while_held(database, clock, close("已回访"), close("第二次"))
    assert isinstance(second, AlreadyClosed)
    assert str(second) == "follow-up: service 3 at window w03 (done 2026-11-24T09:20:00+08:00) was already closed"
    assert [c["note"] for c in hall.followups.closures().values()] == ["已回访"]


@pytest.mark.backends("postgresql")
def test_hub_serve_with_more_threads_than_the_default_pool_has_a_connection_for_each(database, monkeypatch):
    monkeypatch.setattr(postgresql, "_pool_max", postgresql.POOL_MAX)
    close_pool(database)
    serving.size_database_pool(argparse.Namespace(db=database, threads=32))
    conn = connect_postgresql(database)
    try:
        assert conn.pool.max_size == 32 + serving.DERIVER_CONNECTIONS + serving.ALERTING_CONNECTIONS
    finally:
        conn.close()
        close_pool(database)
