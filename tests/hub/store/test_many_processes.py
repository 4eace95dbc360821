"""Several hub processes on one database (each its own connection): a batch two of them push at once is held
once; each dirty window-day is derived by one of them, never twice at once, into the rows one SQLite hub derives;
an enrolment code, a request's nonce, a config version and a failed-login count taken by two at once are taken
in turn."""
import threading
import time
from datetime import timedelta

import pytest

from hub.deriver import catch_up
from hub.store import BadEnrolmentCode, Store
from hub.store.projections import TABLES
from protocol.errors import ReplayedNonce
from protocol.wire import encode_batch, parse_batch

from ..conftest import DAY, hub_app, local, script
from ..served import hub_serve

pytestmark = pytest.mark.backends
WINDOWS = ("w01", "w02", "w03", "w04", "w05")
DAYS = [DAY + timedelta(days=i) for i in range(6)]
SPAN = {"start": DAYS[0].isoformat(), "end": DAYS[-1].isoformat()}


def days_of(terminal, days=DAYS):
    """*terminal*'s facts over *days*: one boot a day; A signs in, serves one rated service, leaves at noon."""
    facts = []
    for day in days:
        its = script(terminal, day, first_seq=len(facts) + 1)
        its.presence("08:20", "A", True)
        its.rating("09:00:20", its.done("09:00"), 4)
        its.presence("11:58", "A", False)
        its.clock("12:01")
        facts += its.facts
    return facts


def push(store, terminal, facts):
    """Ingest *facts* of *terminal* as the API does once the request is verified; return the ack."""
    return store.facts.ingest(parse_batch(encode_batch(terminal, "0123abcd", facts), terminal))


def together(database, clock, *calls):
    """Run each call in its own thread (a hub process) on its own store of *database*, all released at once;
    return their results in order."""
    barrier, results, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(i, call):
        try:
            with Store.open(database, clock=clock) as store:
                barrier.wait(timeout=30)
                results[i] = call(store)
        except Exception as exc:                    # noqa: BLE001 - asserted below, naming it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def hall(app, store, clock):
    """The example hall's store with the terminals of WINDOWS enrolled, the hub's clock after the last day."""
    for window in WINDOWS:
        store.terminals.enrol(store.terminals.new_enrolment_code(window, "office"))
    clock.set(local(DAYS[-1], "23:00"))
    return store


def test_two_processes_pushing_the_same_batches_at_once_hold_each_fact_once(hall, database, clock):
    facts = days_of("win-03")
    for day in DAYS:
        batch = [f for f in facts if f["boot"] == f"win-03-{day.isoformat()}"]
        acks = together(database, clock, *[lambda store: push(store, "win-03", batch)] * 2)
        assert acks == [batch[-1]["seq"]] * 2
    assert hall.facts.held() == facts
    (anchors,) = hall.conn.execute("SELECT COUNT(*) FROM anchors").fetchone()
    assert anchors == sum(f["kind"] == "clock" for f in facts), "each clock anchor held once"


def push_every_window(store):
    """Push every window's days into *store* in one transaction: each window-day is marked dirty once."""
    with store.transaction():
        for window in WINDOWS:
            push(store, f"win-{window[1:]}", days_of(f"win-{window[1:]}"))
    dirty = [d for d in store.projections.window_days(**SPAN) if d["dirty"]]
    assert len(dirty) >= len(WINDOWS) * len(DAYS)
    return len(dirty)


def assert_derived_once_as_sqlite_derives(hall, clock, tmp_path):
    """Every window-day of *hall* derived exactly once, into the rows one SQLite hub derives from the same pushes."""
    assert {d["derivations"] for d in hall.projections.window_days(**SPAN)} == {1}, "none derived twice"
    with Store.open(hub_app(tmp_path / "reference.sqlite", clock).config["DATABASE"], clock=clock) as reference:
        for window in WINDOWS:
            reference.terminals.enrol(reference.terminals.new_enrolment_code(window, "office"))
        push_every_window(reference)
        catch_up(reference)
        for table in TABLES:
            assert hall.projections.rows(table, **SPAN) == reference.projections.rows(table, **SPAN), table


def test_two_processes_derive_each_dirty_window_day_once_into_the_rows_sqlite_derives(hall, database, clock,
                                                                                      tmp_path):
    dirty = push_every_window(hall)
    counts = together(database, clock, *[lambda store: store.projections.derive_dirty()] * 2)
    assert sum(counts) == dirty
    assert_derived_once_as_sqlite_derives(hall, clock, tmp_path)


def test_two_hub_serve_processes_deriving_in_the_background_derive_each_window_day_once(hall, database, clock,
                                                                                        tmp_path):
    on_the_test_clock = {"HALLPOST_CLOCK": f"scaled:{clock().isoformat()}@1x"}
    with hub_serve(database, "--derive-every", "0.05", env=on_the_test_clock), \
            hub_serve(database, "--derive-every", "0.05", env=on_the_test_clock):
        push_every_window(hall)                     # both derivers already poll: they find the work together
        for _ in range(600):
            if not any(d["dirty"] for d in hall.projections.window_days(**SPAN)):
                break
            time.sleep(0.1)
    assert_derived_once_as_sqlite_derives(hall, clock, tmp_path)


@pytest.mark.backends("postgresql")
def test_a_window_day_another_process_is_deriving_is_left_to_it_not_waited_for(hall, database, clock):
    push(hall, "win-03", days_of("win-03", DAYS[:3]))
    with Store.open(database, clock=clock) as deriving, Store.open(database, clock=clock) as other:
        other.conn.execute("SET lock_timeout = '5s'")   # waiting instead of skipping fails, it does not hang
        with deriving.transaction():
            deriving.conn.execute('SELECT 1 FROM window_days WHERE "window" = ? AND day = ? FOR UPDATE',
                                  ("w03", DAYS[1].isoformat()))
            assert other.projections.derive_dirty() == 2
        assert other.projections.derive_dirty() == 1
    assert [d["derivations"] for d in hall.projections.window_days(**SPAN)] == [1, 1, 1]


def wait_until_blocked(store):
    """Return once some other connection waits for a lock this test holds (bounded: fail after 30 s)."""
    for _ in range(3000):
        if store.conn.execute("SELECT COUNT(*) FROM pg_locks WHERE NOT granted").fetchone()[0]:
            return
        time.sleep(0.01)
    raise AssertionError("no connection ever waited for the lock")


def while_held(database, clock, hold, then):
    """Run *hold(store)* in an open transaction of one process and *then(store)* in another meanwhile, until it
    waits for the first's lock; commit the first; return (what *hold* returned, what *then* returned or raised)."""
    outcome = []

    def second():
        with Store.open(database, clock=clock) as other:
            try:
                outcome.append(then(other))
            except Exception as exc:                # noqa: BLE001 - the caller asserts what it was
                outcome.append(exc)

    with Store.open(database, clock=clock) as first:
        with first.transaction():
            held = hold(first)
            thread = threading.Thread(target=second)
            thread.start()
            wait_until_blocked(first)
        thread.join(timeout=60)
    assert len(outcome) == 1 and not thread.is_alive()
    return held, outcome[0]


@pytest.mark.backends("postgresql")
def test_a_code_two_processes_use_at_once_enrols_once(hall, database, clock):
    code = hall.terminals.new_enrolment_code("w06", "office")
    (terminal, key), second = while_held(database, clock, lambda s: s.terminals.enrol(code),
                                         lambda s: s.terminals.enrol(code))
    assert isinstance(second, BadEnrolmentCode) and str(second) == "code: this enrolment code was already used"
    assert hall.terminals.key(terminal) == bytes.fromhex(key)


@pytest.mark.backends("postgresql")
def test_two_processes_saving_the_config_at_once_make_two_versions(hall, database, clock):
    _, document, version, _ = hall.configs.current()
    renamed = [{**document, "hall": {**document["hall"], "name": name}} for name in ("甲大厅", "乙大厅")]
    first, second = while_held(database, clock, lambda s: s.configs.save(renamed[0], "office"),
                               lambda s: s.configs.save(renamed[1], "office"))
    assert (first, second) == (version + 1, version + 2)
    assert hall.configs.hall().name == "乙大厅"


@pytest.mark.backends("postgresql")
def test_failed_logins_two_processes_count_at_once_both_count(hall, database, clock):
    now = clock()
    while_held(database, clock, lambda s: s.accounts.record_failure("account", "office", now),
               lambda s: s.accounts.record_failure("account", "office", now))
    assert hall.conn.execute("SELECT failures FROM login_failures WHERE key = 'office'").fetchone()[0] == 2


@pytest.mark.backends("postgresql")
def test_a_nonce_two_processes_receive_at_once_is_a_replay_at_the_second(hall, database, clock):
    now = clock().timestamp()
    _, second = while_held(database, clock,
                           lambda s: s.terminals.nonce_registry().check_and_add("win-03", "n-1", now),
                           lambda s: s.terminals.nonce_registry().check_and_add("win-03", "n-1", now))
    assert isinstance(second, ReplayedNonce) and "nonce n-1 was already used" in str(second)
