"""A city's hub filled in-process for ``bench/city_center.py``: halls of windows (``bench/city_hub.py``), their
terminals enrolled, and working days of facts (``bench/hub.py``'s write_day) stored through the store's ingest
(``store.facts.ingest``, as a push does) under a clock the caller sets, then derived (``hub.deriver.catch_up``).

Every tenth terminal falls silent at SILENT_FROM on the last day (its window is unknown on the wall after).
"""
import random
import secrets
from datetime import datetime, time, timedelta

from bench.city_hub import add_halls
from bench.hub import BATCH, TZ, write_day
from hub.deriver import catch_up
from protocol.wire import encode_batch, parse_batch

SILENT_EVERY = 10
SILENT_FROM = time(10, 0)


class SetClock:
    """The hub's clock as the filling sets it (an aware UTC datetime)."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def fill(store, clock, halls, windows, days, until, seed=13):
    """Add *halls* × *windows* windows to *store* (whose clock is *clock*, a SetClock) and store the facts of
    *days* working days ending on *until*'s (aware) day, none after *until*; derive them. Returns facts stored."""
    rng, stored = random.Random(seed), 0
    clock.now = until - timedelta(days=days + 3)
    codes = add_halls(store, halls, windows)
    keys = dict(store.terminals.enrol(code) for code in codes.values())
    for n, terminal in enumerate(sorted(keys)):
        journal, seq, store_id = [], 0, secrets.token_hex(8)
        for day in working_days(until.astimezone(TZ).date(), days):
            facts, seq = write_day(terminal, day, seq, rng)
            last = until if day < until.astimezone(TZ).date() or n % SILENT_EVERY else \
                datetime.combine(day, SILENT_FROM, TZ)
            journal += [f for f in facts if datetime.fromisoformat(f["wall"]) <= last]
        stored += _push(store, clock, terminal, store_id, journal, until, silent=not n % SILENT_EVERY)
    clock.now = until
    catch_up(store)
    return stored


def working_days(last, days):
    """The *days* weekdays ending on *last* (a weekday), oldest first."""
    found, day = [], last
    while len(found) < days:
        if day.weekday() < 5:
            found.append(day)
        day -= timedelta(days=1)
    return found[::-1]


def _push(store, clock, terminal, store_id, journal, until, silent):
    """Ingest *journal* in batches, the clock at each batch's last fact (a terminal pushes as it goes by its wall
    clock, within 90 s of the hub's), then (unless *silent*) a heartbeat at *until*."""
    pushes = [journal[i:i + BATCH] for i in range(0, len(journal), BATCH)] + ([] if silent else [[]])
    for batch in pushes:
        clock.now = min(until, datetime.fromisoformat(batch[-1]["wall"]) + timedelta(seconds=5)) if batch else until
        with store.transaction():
            store.facts.ingest(parse_batch(encode_batch(terminal, store_id, batch, {"keypad": True}), terminal))
    return len(journal)
