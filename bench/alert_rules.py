"""Alert evaluator benchmark: one round of ``hub.alerting.evaluate`` over a hall of 40 windows with weeks of facts.

Seeds a SQLite hub (in-process, no HTTP: the evaluator's own cost) with *days* days of realistic facts of every
window (bench/hub.py's generator: its 1-2 ratings leave follow-ups open), derives them, then evaluates at 10:00
of the next working day, when no window has been signed in (every window empty, its follow-ups open): the first
round opens every alert, the later rounds find nothing new (the steady state of ``hub serve``'s loop).
Usage: python bench/alert_rules.py [--windows 40] [--days 20] [--rounds 30] [--seed 7]
Last line: {"windows": .., "open_alerts": .., "first_round_ms": .., "round_p50_ms": .., "round_p99_ms": ..}
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.hub import FIRST_DAY, TZ, hall_document, year_of_facts  # noqa: E402
from hub.alerting import Followups, evaluate  # noqa: E402
from hub.deriver import catch_up  # noqa: E402
from hub.store import Store  # noqa: E402
from protocol.wire import encode_batch, parse_batch  # noqa: E402


class Clock:
    """The hub's clock, set by the bench."""

    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


def next_working_day(day):
    """The first weekday after *day*."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def seeded(db, clock, args):
    """*db* with the hall, its enrolled terminals and every window's facts, derived."""
    with Store.open(db, clock=clock) as store:
        store.configs.save(hall_document(args.windows), "bench")
        for terminal, facts in year_of_facts(args.windows, args.days, args.seed).items():
            store.terminals.enrol(store.terminals.new_enrolment_code(f"w{terminal[-2:]}", "bench"))
            for start in range(0, len(facts), 500):
                store.facts.ingest(parse_batch(encode_batch(terminal, "0123abcd", facts[start:start + 500]), terminal))
        catch_up(store)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    day = next_working_day(FIRST_DAY + timedelta(days=args.days - 1))
    clock = Clock(datetime.combine(day, datetime.min.time(), TZ).replace(hour=10).astimezone(timezone.utc))
    with tempfile.TemporaryDirectory() as workdir:
        db = os.path.join(workdir, "bench.sqlite")
        seeded(db, clock, args)
        with Store.open(db, clock=clock) as store:
            followups = Followups()                # kept between rounds, as hub serve's loop keeps it
            started = time.perf_counter()
            opened = len(evaluate(store, followups=followups))
            first = (time.perf_counter() - started) * 1000
            rounds = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                assert evaluate(store, followups=followups) == [], "a steady round changes nothing"
                rounds.append((time.perf_counter() - started) * 1000)
    rounds.sort()
    print(json.dumps({"windows": args.windows, "open_alerts": opened, "first_round_ms": round(first, 1),
                      "round_p50_ms": round(statistics.median(rounds), 1),
                      "round_p99_ms": round(rounds[min(len(rounds) - 1, int(len(rounds) * 0.99))], 1)}))


if __name__ == "__main__":
    main()
