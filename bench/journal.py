"""Per-fact append cost (fsync included) of the terminal journal near the start and at the end of a backlog.

Fills our journal with N unsynced facts one append at a time, then samples plain TinyDB (JSONStorage)
holding the same N facts with a few single inserts, and prints the RSS with the backlog held. "first" and
"last" are the medians of the first and last 1,000 appends (means, which other processes' I/O on a shared
machine can swing, are printed on stderr); TinyDB's is the mean of its few inserts.
Usage: python bench/journal.py [--facts 50000] [--dir DIR]
Last line: {"facts": N, "ours_first_us": .., "ours_last_us": .., "tinydb_last_us": .., "ratio_at_end": ..,
"rss_mb": ..}
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tinydb import TinyDB  # noqa: E402

from firmware.terminal.journal import Journal  # noqa: E402

TERMINAL = "win-03"
WINDOW = 1000  # appends sampled at each end of the backlog
TINYDB_INSERTS = 5


def sample_fact(number):
    """A presence fact of realistic size (about 170 bytes as a journal line)."""
    return {
        "boot": "3f6c2a9e-5b1d-4e8a-9c7f-0d2b4a6e8f10",
        "mono_ms": 1_000_000 + number * 1_500,
        "wall": f"2026-03-02T{8 + number // 3600 % 10:02d}:{number // 60 % 60:02d}:{number % 60:02d}+08:00",
        "kind": "presence",
        "post": "AB"[number % 2],
        "on": number % 3 != 0,
    }


def rss_mb():
    """The resident set size of this process now, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS: missing from /proc/self/status")


def time_ours(directory, facts):
    """Append *facts* facts to a fresh journal; return the per-append times (µs) and the RSS after."""
    times = []
    with Journal(os.path.join(directory, "journal"), terminal=TERMINAL, max_bytes=1 << 30) as journal:
        for number in range(facts):
            fact = sample_fact(number)
            start = time.perf_counter_ns()
            journal.append(fact)
            times.append((time.perf_counter_ns() - start) / 1000)
        assert journal.unsynced_count == facts
        return times, rss_mb()


def time_tinydb(directory, facts):
    """Per-insert time (µs) of TinyDB's JSONStorage already holding *facts* facts."""
    path = os.path.join(directory, "tinydb.json")
    table = {str(n + 1): {**sample_fact(n), "terminal": TERMINAL, "seq": n + 1} for n in range(facts)}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"_default": table}, handle)
    del table
    times = []
    with TinyDB(path) as db:
        for number in range(facts, facts + TINYDB_INSERTS):
            fact = {**sample_fact(number), "terminal": TERMINAL, "seq": number + 1}
            start = time.perf_counter_ns()
            db.insert(fact)
            times.append((time.perf_counter_ns() - start) / 1000)
    return times


def main(argv=None):
    """Run the benchmark and print the summary as the last line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=50_000)
    parser.add_argument("--dir", help="where to put the journal (default: a temporary directory)")
    args = parser.parse_args(argv)
    window = min(WINDOW, max(1, args.facts // 10))
    with tempfile.TemporaryDirectory(dir=args.dir) as directory:
        ours, rss = time_ours(directory, args.facts)
        first, last = statistics.median(ours[:window]), statistics.median(ours[-window:])
        print(f"ours: first {window} appends p50 {first:.0f} µs (mean {statistics.mean(ours[:window]):.0f}),"
              f" last {window} p50 {last:.0f} µs (mean {statistics.mean(ours[-window:]):.0f}),"
              f" max {max(ours):.0f} µs; RSS {rss:.1f} MB with {args.facts} unsynced facts", file=sys.stderr)
        tinydb = statistics.mean(time_tinydb(directory, args.facts))
        print(f"tinydb JSONStorage at {args.facts} facts: {tinydb:.0f} µs per insert", file=sys.stderr)
    print(json.dumps({
        "facts": args.facts,
        "ours_first_us": round(first, 1),
        "ours_last_us": round(last, 1),
        "tinydb_last_us": round(tinydb, 1),
        "ratio_at_end": round(tinydb / last, 1),
        "rss_mb": round(rss, 1),
    }))


if __name__ == "__main__":
    main()
