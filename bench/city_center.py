"""The center's pages on a city's hub (issue 13): the center wall and the month's attendance report across every
hall, the way the hub read them before (old) and now (new), on the same database in the same run.

Fills a new database in-process (``bench/city_data.py``: halls × windows, --days working days of facts stored
through the store's ingest and derived), the hub's clock at 16:00 of the last day, then times (median of
--repeats, the first call apart: it fills the kept replays and schedules):
- wall: old, each window's day replayed from its facts with one query per window (what ``store.live.wall``
  did); new, ``hub.wall.center`` (kept replays, entries counted); both must give the same totals per hall;
- month report: old, per hall the year's and the month's attendance summaries (what each hall's monthly report
  read), schedules laid out anew each time, timed on --old-halls halls and scaled to all; new, the year's absent
  sessions and the month's summary across every hall (what /admin/center/monthly.csv reads);
- the pages /admin/center and /admin/center/monthly.csv in-process (Flask's test client, logged in as office).
Usage: python bench/city_center.py [--halls 100] [--windows 20] [--days 2] [--repeats 3] [--old-halls 10]
       [--database PATH|postgresql://...|postgres] [--filled] [--dir DIR]
Last line: {"backend": .., "halls": .., "windows": .., "facts": .., "center_wall_ms": .., "center_wall_old_ms": ..,
"wall_speedup": .., "center_month_report_ms": .., "center_month_report_old_ms": .., "month_report_speedup": .., ...}
(each time also as ``*_first_ms`` and ``*_cpu_ms``: this process's CPU, steadier than the wall clock on a shared
machine; PostgreSQL's own CPU is not in it)
"""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.city_data import SetClock, fill  # noqa: E402
from bench.city_hub import OWN_CLUSTER, database_of, sqlite_path  # noqa: E402
from bench.hub import TZ  # noqa: E402
from hub import create_app  # noqa: E402
from hub.store import Store  # noqa: E402
from hub.store import reports as reports_module  # noqa: E402
from hub.store.live import SILENCE_HEARTBEATS  # noqa: E402
from hub.store.projections import stored_fact  # noqa: E402
from hub.store.times import to_us  # noqa: E402
from hub.wall import center  # noqa: E402
from protocol.window_state import window_state  # noqa: E402

LAST_DAY = date(2026, 11, 27)           # a Friday
AT = datetime.combine(LAST_DAY, datetime.min.time(), TZ) + timedelta(hours=16)
PASSWORD = "bench-password-13"


def replayed_totals(store, at):
    """{hall: (held, empty, closed, unknown, handovers waiting)}: each window's day replayed from its facts, one
    query per window (the wall's old path; unknown windows replayed at their last sync, as it did)."""
    seen = {(r[0], r[1]): r[2] for r in store.conn.execute(
        'SELECT hall, "window", last_seen FROM terminals WHERE key IS NOT NULL')}
    totals = {}
    for hall, config in store.configs.every().items():
        states, waiting = Counter(), 0
        for window in config.windows:
            last = seen.get((hall, window.id))
            silence = timedelta(seconds=config.rules.heartbeat_s * SILENCE_HEARTBEATS)
            if last is None or at - datetime.fromisoformat(last) > silence:
                if last is not None:
                    _replayed(store, hall, config, window, datetime.fromisoformat(last))
                states["unknown"] += 1
                continue
            state = _replayed(store, hall, config, window, at)
            states["held" if state.holder else "empty" if state.session else "closed"] += 1
            waiting += bool(state.waiting)
        totals[hall] = (states["held"], states["empty"], states["closed"], states["unknown"], waiting)
    return totals


def _replayed(store, hall, config, window, moment):
    facts = [stored_fact(r[0], r[1]) for r in store.conn.execute(
        'SELECT body, at_us FROM facts WHERE hall = ? AND "window" = ? AND day = ? AND at_us <= ? '
        "AND kind IN ('presence', 'handover')",
        (hall, window.id, moment.astimezone(config.tz).date().isoformat(), to_us(moment)))]
    return window_state(config, facts, window.id, moment)


def center_totals(store, at):
    """The same as :func:`replayed_totals`, from the center wall's lines (the new path)."""
    return {line.hall: (line.held, line.empty, line.closed, line.unknown, line.waiting) for line in center(store, at)}


def old_month(store, halls):
    """The month's attendance per hall as each hall's report read it: the year's summary and the month's."""
    for hall in halls:
        reports_module._duties.clear()          # the old path laid every schedule out anew
        store.reports.attendance_summary(date(LAST_DAY.year, 1, 1).isoformat(), LAST_DAY.isoformat(), hall=hall)
        store.reports.month_attendance(LAST_DAY.year, LAST_DAY.month, hall=hall)


def new_month(store):
    """The month's attendance across every hall as the center's report reads it now."""
    store.reports.absent_sessions(date(LAST_DAY.year, 1, 1).isoformat(), LAST_DAY.isoformat())
    store.reports.month_attendance(LAST_DAY.year, LAST_DAY.month, hall=None)


def timed(call, repeats):
    """(first ms, median ms of the *repeats* after it (or the first's with none), that median's CPU ms in this
    process) of *call*: a shared machine's load stretches the wall clock, much less a process's CPU time."""
    times = []
    for _ in range(repeats + 1):
        started, cpu = time.perf_counter(), time.process_time()
        call()
        times.append(((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000))
    later = times[1:] or times
    return round(times[0][0], 1), round(statistics.median(t for t, _ in later), 1), \
        round(statistics.median(c for _, c in later), 1)


def timings(result, key, call, repeats):
    """Add *key*'s first, median and CPU milliseconds (``KEY_first_ms``, ``KEY_ms``, ``KEY_cpu_ms``) to *result*."""
    result[f"{key}_first_ms"], result[f"{key}_ms"], result[f"{key}_cpu_ms"] = timed(call, repeats)


def pages(database, clock, repeats):
    """{key: ms} of the center wall's page and the center's monthly CSV, in-process as a center office user."""
    app = create_app({"DATABASE": database, "CLOCK": clock})
    with Store.open(database, clock=clock) as store:
        store.users.create("bench", PASSWORD, "office")
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text)[1]
    client.post("/admin/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    result = {}
    for key, path in (("center_wall_page", "/admin/center"),
                      ("center_month_report_page", f"/admin/center/monthly.csv?month={LAST_DAY:%Y-%m}")):
        def get(path=path):
            answer = client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"GET {path}: {answer.status_code}")
        timings(result, key, get, repeats)
    return result


def run(args, database):
    """Fill *database*, time old and new paths; the result's keys."""
    clock = SetClock(AT.astimezone(timezone.utc))
    at = clock.now
    with Store.open(database, clock=clock) as store:
        started = time.perf_counter()
        facts = store.facts.count() if args.filled else fill(store, clock, args.halls, args.windows, args.days, AT)
        log(f"filled {args.halls} halls × {args.windows} windows: {facts} facts in "
            f"{time.perf_counter() - started:.0f} s")
        clock.now = at
        halls = [h["id"] for h in store.configs.halls()]
        old, new = replayed_totals(store, at), center_totals(store, at)
        if old != new:
            raise RuntimeError(f"the wall's totals differ (hall: held, empty, closed, unknown, waiting): old {old}, "
                               f"new {new}")
        result = {"facts": facts}
        timings(result, "center_wall_old", lambda: replayed_totals(store, at), args.repeats)
        timings(result, "center_wall", lambda: center(store, at), args.repeats)
        # the old path laid its schedules out anew on every call (its first costs what every one did), hall after
        # hall alike: timed on --old-halls of them, scaled to all
        sample = halls[:args.old_halls]
        timings(result, "center_month_report_old", lambda: old_month(store, sample), 0)
        for key in ("first_ms", "ms", "cpu_ms"):
            result[f"center_month_report_old_{key}"] = round(result[f"center_month_report_old_{key}"] * len(halls)
                                                             / len(sample), 1)
        result["center_month_report_old_halls_timed"] = len(sample)
        reports_module._duties.clear()
        timings(result, "center_month_report", lambda: new_month(store), args.repeats)
    result.update(pages(database, clock, args.repeats))
    for name, key in (("wall", "center_wall"), ("month_report", "center_month_report")):
        result[f"{name}_speedup"] = round(result[f"{key}_old_ms"] / result[f"{key}_ms"], 1)
        result[f"{name}_cpu_speedup"] = round(result[f"{key}_old_cpu_ms"] / max(result[f"{key}_cpu_ms"], 0.1), 1)
    return result


def log(message):
    print(message, file=sys.stderr, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--halls", type=int, default=100)
    parser.add_argument("--windows", type=int, default=20)
    parser.add_argument("--days", type=int, default=2, help="working days of facts ending on the measured day")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--old-halls", type=int, default=10, help="halls the old month report is timed on (scaled "
                        "to every hall: each hall costs it alike)")
    parser.add_argument("--database", help=f"a new SQLite file, an empty postgresql:// database, or {OWN_CLUSTER!r}")
    parser.add_argument("--dir", help="work directory (default: a temporary one)")
    parser.add_argument("--filled", action="store_true", help="--database is a copy of one this bench filled "
                        "(same --halls, --windows, --days), never timed: do not fill it again")
    args = parser.parse_args(argv)
    if min(args.halls, args.windows, args.days, args.repeats, args.old_halls) < 1:
        parser.error("--halls, --windows, --days, --repeats and --old-halls must be at least 1")
    with tempfile.TemporaryDirectory(prefix="hallpost-center-") as scratch:
        workdir = args.dir or scratch
        with database_of(args.database, sqlite_path(workdir, "center")) as (database, _):
            result = {"backend": "postgresql" if database.startswith("postgresql") else "sqlite",
                      "halls": args.halls, "windows": args.halls * args.windows, **run(args, database),
                      "load_average": os.getloadavg()[0]}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
