"""Push latency while the deriver works through a backlog (SQLite): does a push wait for a whole derivation burst?

Stores a backlog of seeded facts for ``--windows`` windows over ``--days`` days (every window-day left dirty)
straight into a SQLite file, starts ``hallpost hub serve`` on it with its background deriver polling every
50 ms, and for ``--seconds`` seconds has ``--pushers`` terminals push a heartbeat each (a signed, empty batch:
one write transaction) as fast as answered, over loopback HTTP; counts the window-days derived meanwhile.
Usage: python bench/push_while_deriving.py [--windows 20] [--days 60] [--pushers 4] [--seconds 15] [--seed 7]
Last line: {"push_p50_ms": .., "push_p99_ms": .., "push_max_ms": .., "pushes": N, "busy_503": N, "failed": N,
"derived_meanwhile": N, ...}
"""
import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.hub import batches, call, connect, free_port, hall_document, year_of_facts  # noqa: E402
from hub.store import Store  # noqa: E402
from protocol.wire import encode_batch, parse_batch, signed_headers  # noqa: E402


def store_backlog(db, windows, days, seed):
    """The hall, its enrolled terminals' keys and every fact of *days* days, stored underived; returns the keys."""
    with Store.open(db) as store:
        store.configs.save(hall_document(windows), "bench")
        keys = {}
        for i in range(1, windows + 1):
            terminal, key = store.terminals.enrol(store.terminals.new_enrolment_code(f"w{i:02d}", "bench"))
            keys[terminal] = bytes.fromhex(key)
        for terminal, body in batches(year_of_facts(windows, days, seed)):
            with store.transaction():
                store.facts.ingest(parse_batch(body, terminal))
    return keys


def dirty_count(db):
    """How many window-days of *db* wait for the deriver."""
    with Store.open(db) as store:
        return store.conn.execute("SELECT COUNT(*) FROM window_days WHERE dirty = 1").fetchone()[0]


def heartbeats(port, terminal, key, until, latencies, statuses):
    """Push *terminal*'s heartbeat over and over until *until* (perf_counter); record each latency and status."""
    conn, body = connect(port), encode_batch(terminal, secrets.token_hex(8), [], {"keypad": True})
    while time.perf_counter() < until:
        headers = signed_headers(key, terminal, "POST", "/api/v1/facts", body, timestamp=time.time(),
                                 nonce=secrets.token_hex(16))
        headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        status, _ = call(conn, "POST", "/api/v1/facts", body, headers)
        latencies.append((time.perf_counter() - started) * 1000)
        statuses.append(status)
    conn.close()


def serve(db, port):
    """``hallpost hub serve`` on *db* with its deriver polling every 50 ms; returns the process once it answers."""
    process = subprocess.Popen([sys.executable, "-m", "protocol.cli", "hub", "serve", "--database", db, "--port",
                                str(port), "--derive-every", "0.05"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            conn = connect(port)
        except OSError:
            time.sleep(0.05)
            continue
        call(conn, "GET", "/api/v1/clock")
        conn.close()
        return process
    process.kill()
    raise RuntimeError("hub serve never answered")


def run(args, workdir):
    """The benchmark in *workdir*; prints the result line."""
    db = os.path.join(workdir, "bench.sqlite")
    keys = store_backlog(db, args.windows, args.days, args.seed)
    backlog = dirty_count(db)
    print(f"{backlog} window-days dirty", file=sys.stderr)
    port = free_port()
    hub = serve(db, port)
    try:
        latencies, statuses, until = [], [], time.perf_counter() + args.seconds
        pushers = [threading.Thread(target=heartbeats, args=(port, terminal, keys[terminal], until, latencies,
                                                             statuses))
                   for terminal in sorted(keys)[:args.pushers]]
        for thread in pushers:
            thread.start()
        for thread in pushers:
            thread.join()
        derived = backlog - dirty_count(db)
    finally:
        hub.terminate()
        hub.wait(timeout=10)
    ok = sorted(ms for ms, status in zip(latencies, statuses) if status == 200)
    result = {"push_p50_ms": round(statistics.median(ok), 1),
              "push_p99_ms": round(ok[min(len(ok) - 1, int(len(ok) * 0.99))], 1), "push_max_ms": round(ok[-1], 1),
              "pushes": len(ok), "busy_503": statuses.count(503),
              "failed": sum(status not in (200, 503) for status in statuses), "derived_meanwhile": derived,
              "backlog": backlog, "pushers": args.pushers, "seconds": args.seconds}
    print(json.dumps(result))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=20)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--pushers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        run(args, workdir)


if __name__ == "__main__":
    main()
