"""Hub benchmark: a year of seeded facts for 40 windows through the real API, re-derivation, monthly report.

Starts ``hallpost hub serve`` (waitress; its background deriver idle, so ingest is measured alone) in a
subprocess on 127.0.0.1, enrols 40 terminals through the API, pushes every fact in signed batches of 500
over loopback HTTP (keep-alive), then re-derives the dirty window-days (``hub.deriver.catch_up``, as a page would),
times one window-day's re-derivation and the monthly attendance report: the admin's page
(``/admin/reports/monthly.csv``, logged in over HTTP) when the admin blueprint is there, else the store
query behind it (``month_report_query_ms`` is always that query).
Usage: python bench/hub.py [--days 365] [--windows 40] [--seed 7] [--dir DIR] [--database URL]
``--database postgresql://…`` (an empty database) runs the hub on PostgreSQL instead of a SQLite file in the
work directory (the naive endpoint stays on SQLite; the hub's CPU seconds leave out the PostgreSQL server's).
Each batch then goes, unsigned, to a minimal Flask + sqlite3 endpoint (``bench/naive_hub.py``) running beside the
hub, so both meet the machine in the same state (``push_both``): absolute rates differ several times from one
machine to the next, the ratio ``ingest_vs_naive`` (naive seconds / hub seconds, each from sending a batch to its
answer; signing it is the terminal's work: 1.0 is as fast as the naive endpoint) does not. Both wait for a sync of the disk per batch, which a
machine shared with other disk writers makes long and noisy: ``ingest_vs_naive_cpu`` is the same ratio of the two
servers' CPU seconds (the PostgreSQL server's left out), the work each does for the batches.
Last line: {"backend": "sqlite" or "postgresql", "facts": N, "ingest_facts_per_s": .., "rederive_window_day_ms": ..,
"month_report_ms": ..,
"naive_ingest_facts_per_s": .., "ingest_vs_naive": .., "ingest_vs_naive_cpu": .., ...}
"""
import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from hub.deriver import catch_up  # noqa: E402
from hub.store import Store  # noqa: E402
from hub.store.database import dialect_of  # noqa: E402
from protocol.wire import encode_batch, signed_headers  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2025, 11, 24)
BATCH = 500
NAIVE_HUB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "naive_hub.py")
SCORES = (5, 4, 3, 2, 1)
SCORE_WEIGHTS = (60, 25, 10, 3, 2)


def hall_document(windows, prefix=""):
    """A hall of *windows* windows, each with its own A and B clerk; *prefix* starts every id and name."""
    return {
        "hall": {"name": f"{prefix}基准测试大厅", "timezone": "Asia/Shanghai"},
        "sessions": [{"name": "morning", "start": "08:30", "end": "12:00"},
                     {"name": "afternoon", "start": "14:30", "end": "17:30"}],
        "calendar": {"holidays": ["2026-01-01", "2026-10-01", "2026-10-02"], "workdays": []},
        "clerks": [{"id": f"{prefix}c{i:03d}", "name": f"{prefix}职员{i:03d}"} for i in range(1, 2 * windows + 1)],
        "windows": [{"id": f"{prefix}w{i:02d}", "name": f"{prefix}{i}号窗口", "terminal": f"{prefix}win-{i:02d}",
                     "a": f"{prefix}c{2 * i - 1:03d}", "b": f"{prefix}c{2 * i:03d}"} for i in range(1, windows + 1)],
    }


class DayWriter:
    """Writes one terminal's facts of one day, as its journal would: one boot, anchors as it syncs."""

    def __init__(self, terminal, day, seq, rng):
        self.terminal, self.rng, self.facts, self.seq = terminal, rng, [], seq
        self.booted = datetime.combine(day, datetime.min.time(), TZ) + timedelta(hours=7, minutes=rng.randint(40, 55))
        self.boot = f"{terminal}-{day.isoformat()}"
        self.skew = timedelta(seconds=rng.randint(-90, 90))

    def add(self, moment, kind, **fields):
        self.seq += 1
        self.facts.append({"terminal": self.terminal, "seq": self.seq, "boot": self.boot,
                           "mono_ms": int((moment - self.booted).total_seconds() * 1000),
                           "wall": (moment + self.skew).isoformat(timespec="seconds"), "kind": kind, **fields})
        return self.seq

    def at(self, hhmm, jitter_s=0):
        hours, minutes = map(int, hhmm.split(":"))
        base = self.booted.replace(hour=hours, minute=minutes, second=0)
        return base + timedelta(seconds=self.rng.randint(-jitter_s, jitter_s))


def write_day(terminal, day, seq, rng):
    """A realistic working day at one window; returns (facts, last seq)."""
    w = DayWriter(terminal, day, seq, rng)
    events = [(w.booted, "boot", {"software": "hallpost 0.1.0"}),
              (w.booted + timedelta(seconds=2), "keypad", {"attached": True, "firmware": "1.0"})]
    moment = w.booted + timedelta(seconds=5)
    while moment < w.at("18:00"):
        events.append((moment, "clock", {"hub_time": moment.isoformat()}))
        moment += timedelta(minutes=15)
    for start, end in (("08:30", "12:00"), ("14:30", "17:30")):
        events.append((w.at(start) - timedelta(minutes=rng.choice((20, 15, 8, 3))) + timedelta(
            seconds=rng.randint(0, 600) if rng.random() < 0.05 else 0), "presence", {"post": "A", "on": True}))
        events.append((w.at(end) + timedelta(seconds=rng.randint(-120, 500)), "presence", {"post": "A", "on": False}))
        t = w.at(start) + timedelta(minutes=rng.randint(2, 10))
        while t < w.at(end) - timedelta(minutes=5):
            events.append((t, "done", {"post": "A"}))
            t += timedelta(minutes=rng.randint(4, 12))
        if rng.random() < 0.4:
            leave = w.at(start) + timedelta(minutes=rng.randint(40, 120), seconds=30)
            events += [(leave, "handover", {"post": "A", "reason": rng.choice(("meeting", "break", "training"))}),
                       (leave + timedelta(seconds=rng.randint(20, 200)), "presence", {"post": "B", "on": True}),
                       (leave + timedelta(minutes=rng.randint(10, 40)), "presence", {"post": "A", "on": True})]
    events.sort(key=lambda e: e[0])
    for moment, kind, fields in events:
        done = w.add(moment, kind, **fields)
        if kind == "done":
            if rng.random() < 0.85:
                w.add(moment + timedelta(seconds=rng.randint(3, 40)), "rating", service=done,
                      score=rng.choices(SCORES, SCORE_WEIGHTS)[0])
            else:
                w.add(moment + timedelta(seconds=60), "rating_missed", service=done)
    return w.facts, w.seq


def year_of_facts(windows, days, seed):
    """{terminal: [fact, ...]} for *days* days from FIRST_DAY (weekends and holidays have none)."""
    rng = random.Random(seed)
    holidays = {date.fromisoformat(d) for d in hall_document(windows)["calendar"]["holidays"]}
    journals = {}
    for i in range(1, windows + 1):
        terminal, seq, facts = f"win-{i:02d}", 0, []
        for n in range(days):
            day = FIRST_DAY + timedelta(days=n)
            if day.weekday() < 5 and day not in holidays:
                day_facts, seq = write_day(terminal, day, seq, rng)
                facts += day_facts
        journals[terminal] = facts
    return journals


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_hub(db, port):
    """``hallpost hub serve`` on *db* with its deriver idle, in a subprocess; returns it once it answers."""
    # the deriver waits a day before its first run, so derivation (measured on its own below) never competes with
    # ingest; yet it holds its connection as in production: with no other connection open, each push's closing
    # connection would checkpoint the WAL and delete it (fsyncs a hub serving with its deriver never pays per push)
    return serve_hub(port, "--database", db, "--derive-every", str(24 * 3600))


def serve_hub(port, *options, log=None):
    """``hallpost hub serve --port *port* *options*`` in a subprocess (run from the source tree), its stderr to
    the file *log* (default: a temporary one); returns it once it answers."""
    return start_server([sys.executable, "-m", "protocol.cli", "hub", "serve", "--port", str(port), *options], port,
                        "/api/v1/clock", log)


def start_server(command, port, path, log=None):
    """Run *command* from the source tree until it answers GET *path* on *port* with 200; returns the process.

    Its stderr goes to the file *log* or a temporary one: a pipe nobody reads would stall the server once full
    (waitress logs its queue depth under load); kill it and raise with that output if it never answers.
    """
    errors = open(log, "w+b") if log else tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                errors.close()
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    process.wait()
    errors.seek(0)
    raise RuntimeError(f"{path} never answered: {errors.read().decode(errors='replace')}")


def connect(port):
    """A keep-alive connection with TCP_NODELAY, as urllib3 (requests) sets it: http.client sends the
    headers and the body in two writes, which Nagle + delayed ACK would stall by ~40 ms each."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.connect()
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def call(conn, method, path, body=b"", headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"null")


def cpu_seconds(pid):
    """User + system CPU seconds used so far by process *pid* (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def batches(journals):
    """Every journal as [(terminal, push body)] in batches of BATCH, as the terminals send them."""
    pushes = []
    for terminal, facts in journals.items():
        store_id = secrets.token_hex(8)
        for i in range(0, len(facts), BATCH):
            pushes.append((terminal, encode_batch(terminal, store_id, facts[i:i + BATCH], {"keypad": True})))
    return pushes


def push_both(hub_port, keys, naive_port, pushes):
    """Push each batch to the hub (signed) and then the same batch to the naive endpoint, each over its own
    keep-alive connection; return (the hub's seconds, the naive endpoint's).

    Side by side rather than one run after the other: a shared machine's load changes within seconds, and the
    ratio of two runs a minute apart moved more (0.34-0.50 on the same code) than the code did; each batch now
    meets both at the same moment of the machine.
    """
    hub, naive = connect(hub_port), connect(naive_port)
    hub_s = naive_s = 0.0
    for terminal, body in pushes:
        headers = signed_headers(keys[terminal], terminal, "POST", "/api/v1/facts", body,
                                 timestamp=time.time(), nonce=secrets.token_hex(16))
        headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        status, answer = call(hub, "POST", "/api/v1/facts", body, headers)
        between = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"push refused: {status} {answer}")
        naive_status, answer = call(naive, "POST", "/facts", body, {"Content-Type": "application/json"})
        naive_s += time.perf_counter() - between
        hub_s += between - started
        if naive_status != 200:
            raise RuntimeError(f"naive push refused: {naive_status} {answer}")
    hub.close()
    naive.close()
    return hub_s, naive_s


def start_naive(workdir):
    """``bench/naive_hub.py`` (Flask + sqlite3, waitress) on a SQLite file in *workdir*: (its process, its port)."""
    port = free_port()
    return start_server([sys.executable, NAIVE_HUB, os.path.join(workdir, "naive.sqlite"), str(port)], port,
                        "/ready"), port


def office_session(port, store, timeout=30):
    """A requests session logged in to the admin pages as a new office user, or None without those pages; each
    request waits up to *timeout* seconds."""
    import re

    import requests
    store.users.create("bench", "bench-password", "office")
    http = requests.Session()
    base = f"http://127.0.0.1:{port}"
    login = http.get(base + "/admin/login", timeout=timeout)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
    if login.status_code != 200 or token is None:
        return None
    http.post(base + "/admin/login", data={"username": "bench", "password": "bench-password", "csrf_token": token[1]},
              timeout=timeout)
    return http


def month_page_ms(port, store, month):
    """Time the admin's monthly CSV report page (logged in as an office user), or None without one."""
    http = office_session(port, store)
    if http is None:
        return None
    base = f"http://127.0.0.1:{port}"
    times = []
    for _ in range(5):
        started = time.perf_counter()
        answer = http.get(base + "/admin/reports/monthly.csv", params={"month": month}, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            return None
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", help="work directory (default: a temporary one)")
    parser.add_argument("--database", help="the hub's database URL (default: sqlite:///DIR/bench.sqlite)")
    args = parser.parse_args(argv)
    if args.dir:
        return run(args, args.dir)
    with tempfile.TemporaryDirectory(prefix="hallpost-bench-") as workdir:
        return run(args, workdir)


def run(args, workdir):
    """The benchmark in *workdir*; prints the result line."""
    db = args.database or "sqlite://" + os.path.join(os.path.abspath(workdir), "bench.sqlite")
    started = time.perf_counter()
    journals = year_of_facts(args.windows, args.days, args.seed)
    total = sum(len(f) for f in journals.values())
    print(f"generated {total} facts in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with Store.open(db) as store:
        store.configs.save(hall_document(args.windows), "bench")
        codes = {f"win-{i:02d}": store.terminals.new_enrolment_code(f"w{i:02d}", "bench")
                 for i in range(1, args.windows + 1)}
    port = free_port()
    hub = start_hub(db, port)
    try:
        conn = connect(port)
        keys = {}
        for terminal, code in codes.items():
            status, answer = call(conn, "POST", "/api/v1/enrol", json.dumps({"code": code}).encode(),
                                  {"Content-Type": "application/json"})
            keys[terminal] = bytes.fromhex(answer["key"])
        conn.close()
        pushes = batches(journals)
        naive_server, naive_port = start_naive(workdir)
        try:
            cpu, naive_cpu = cpu_seconds(hub.pid), cpu_seconds(naive_server.pid)
            seconds, naive = push_both(port, keys, naive_port, pushes)
            cpu, naive_cpu = cpu_seconds(hub.pid) - cpu, cpu_seconds(naive_server.pid) - naive_cpu
        finally:
            naive_server.terminate()
            naive_server.wait(timeout=10)
        print(f"ingested in {seconds:.1f} s ({cpu:.1f} s of the hub's CPU); the naive endpoint took the same "
              f"batches in {naive:.1f} s ({naive_cpu:.1f} s of its CPU)", file=sys.stderr)
        with Store.open(db) as store:
            started = time.perf_counter()
            derived = catch_up(store)
            print(f"derived {derived} window-days in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            last = FIRST_DAY + timedelta(days=args.days - 1)
            busy = max(FIRST_DAY, last - timedelta(days=20))      # a working day with its facts all in
            while busy.weekday() >= 5:
                busy += timedelta(days=1)
            rederive = []
            for _ in range(20):
                t = time.perf_counter()
                store.projections.derive_window_day("w01", busy.isoformat())
                rederive.append((time.perf_counter() - t) * 1000)
            month = (last.replace(day=1) - timedelta(days=1)).replace(day=1)
            report = []
            for _ in range(10):
                t = time.perf_counter()
                store.reports.month_attendance(month.year, month.month)
                report.append((time.perf_counter() - t) * 1000)
            page = month_page_ms(port, store, month.strftime("%Y-%m"))
    finally:
        hub.terminate()
        hub.wait(timeout=10)
    query = statistics.median(report)
    result = {"backend": dialect_of(db), "facts": total, "ingest_facts_per_s": round(total / seconds),
              "rederive_window_day_ms": round(statistics.median(rederive), 2),
              "month_report_ms": round(query if page is None else page, 2), "month_report_query_ms": round(query, 2)}
    result.update(naive_ingest_facts_per_s=round(total / naive), ingest_vs_naive=round(naive / seconds, 3),
                  ingest_facts_per_hub_cpu_s=round(total / cpu), naive_facts_per_cpu_s=round(total / naive_cpu),
                  ingest_vs_naive_cpu=round(naive_cpu / cpu, 3), days=args.days, windows=args.windows,
                  derive_all_window_days=derived, load_average=os.getloadavg()[0])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
