"""Press→lamp latency of the window terminal on gpiozero mock pins with the real journal (fsync included).

Usage: python bench/press.py [--presses 1000] [--dir DIR]
Each press drives presence_a's mock pin low and high; the latency runs until the owner thread has
recorded the fact (fsynced) and set the lamp. The fsync floor is a 120-byte append + fsync in the same
directory; the journal append alone is measured too. Last line: {"presses": N, "p50_ms": .., "p99_ms": .., "fsync_p50_ms": .., ...}.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gpiozero import Device  # noqa: E402
from gpiozero.pins.mock import MockFactory  # noqa: E402

from firmware.terminal.clock import ManualClock  # noqa: E402
from firmware.terminal.hallconfig import StaticConfig  # noqa: E402
from firmware.terminal.journal import Journal  # noqa: E402
from firmware.terminal.panel import Panel  # noqa: E402
from firmware.terminal.pinmap import load_pinmap  # noqa: E402
from firmware.terminal.terminal import Terminal  # noqa: E402
from protocol.config import load_config  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def fsync_floor(directory, count):
    """Milliseconds per 120-byte append + fsync to a file in *directory*."""
    path = os.path.join(directory, "fsync-floor")
    times = []
    with open(path, "ab") as f:
        for _ in range(count):
            start = time.perf_counter()
            f.write(b"x" * 119 + b"\n")
            f.flush()
            os.fsync(f.fileno())
            times.append((time.perf_counter() - start) * 1000)
    os.unlink(path)
    return times


def journal_appends(directory, count):
    """Milliseconds per journal append (TinyDB segment, fsync) with no terminal around it."""
    times = []
    with Journal(os.path.join(directory, "alone"), terminal="win-01") as journal:
        for i in range(count):
            fields = {"boot": "bench", "mono_ms": i, "wall": "2026-11-24T09:00:00+08:00", "kind": "presence",
                      "post": "A", "on": i % 2 == 0}
            start = time.perf_counter()
            journal.append(fields)
            times.append((time.perf_counter() - start) * 1000)
    return times


def press_latencies(directory, count):
    Device.pin_factory = MockFactory()
    hall = load_config((ROOT / "hardware" / "hall" / "hall.toml").read_text(encoding="utf-8"))
    clock = ManualClock(datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    latencies = []
    with Panel(load_pinmap(ROOT / "hardware" / "pinmap.toml")) as panel, \
            Journal(os.path.join(directory, "journal"), terminal="win-01") as journal:
        terminal = Terminal(panel=panel, journal=journal, config_source=StaticConfig(hall), clock=clock,
                            boot="bench").start()
        button, lamp = panel.buttons["presence_a"].pin, panel.lamps["a"].pin
        try:
            for i in range(count):
                clock.advance(1)
                terminal.settle()
                start = time.perf_counter()
                button.drive_low()
                terminal.settle()
                latencies.append((time.perf_counter() - start) * 1000)
                button.drive_high()
                if lamp.state != (i % 2 == 0):
                    raise SystemExit(f"press {i}: lamp A is {lamp.state}, expected {i % 2 == 0}")
        finally:
            terminal.close()
        facts = journal.next_seq - 1
    Device.pin_factory.reset()
    return latencies, facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=1000)
    parser.add_argument("--dir", help="where the journal lives (default: a temporary directory)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as directory:
        floor = fsync_floor(directory, args.presses)
        appends = journal_appends(directory, args.presses)
        latencies, facts = press_latencies(directory, args.presses)
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    fsync_p50 = statistics.median(floor)
    print(f"{args.presses} presses, {facts} facts in the journal")
    print(f"press→lamp p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {max(latencies):.3f} ms")
    print(f"fsync floor p50 {fsync_p50:.3f} ms, p99 {percentile(floor, 0.99):.3f} ms; "
          f"p50 above the floor: {p50 - fsync_p50:.3f} ms; journal append alone p50 "
          f"{statistics.median(appends):.3f} ms")
    tenth = max(1, len(latencies) // 10)
    first, last = latencies[:tenth], latencies[-tenth:]
    print(f"first {tenth} presses p50 {statistics.median(first):.3f} ms; last {tenth} (a day already holding "
          f"{facts} facts) p50 {statistics.median(last):.3f} ms")
    print(json.dumps({"presses": args.presses, "p50_ms": round(p50, 3), "p99_ms": round(p99, 3),
                      "fsync_p50_ms": round(fsync_p50, 3), "fsync_p99_ms": round(percentile(floor, 0.99), 3),
                      "journal_append_p50_ms": round(statistics.median(appends), 3),
                      "max_ms": round(max(latencies), 3), "first_tenth_p50_ms": round(statistics.median(first), 3),
                      "last_tenth_p50_ms": round(statistics.median(last), 3)}))


if __name__ == "__main__":
    main()
