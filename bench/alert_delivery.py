"""Alerts benchmark (issue 15), the delivery half alone: from an alert change put into the outbox to its webhook
arriving on 127.0.0.1, through the delivery worker a hub process runs.

Alerts of ``--windows`` windows of a hall (the example hall's config) on a SQLite database in a temporary directory; a
signed-webhook receiver (an http.server thread) that records when each idempotency key arrives; a
:class:`hub.notify.worker.DeliveryWorker` polling every ``--interval-s`` (1 s, as ``hub serve`` runs it). Every
``--period-s`` one window's alert fires, put through the :class:`hub.notify.sink.OutboxSink` as the alert rules
put it; once all were told, each resolves the same way: ``--changes`` changes in all. ``lost``: a message
that never arrived; ``duplicated``: a key that arrived twice.

bench/alerts.py measures the whole path (a terminal's push to the webhook, and to 50 walls' events); this one
isolates the outbox and worker (with and without the sink waking the worker).
Usage: python bench/alert_delivery.py [--windows 40] [--changes 200] [--period-s 0.02] [--interval-s 1.0] [--wake yes|no]
Last line: {"delivery_p50_ms": .., "delivery_p99_ms": .., "messages": .., "lost": 0, "duplicated": 0, ...}
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from hub.alert_change import AlertChange  # noqa: E402
from hub.notify.sink import OutboxSink  # noqa: E402
from hub.notify.worker import DeliveryWorker  # noqa: E402
from hub.store import Store  # noqa: E402
from protocol.config import config_to_dict, load_config  # noqa: E402

HALL_TOML = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "hardware", "hall", "hall.toml")
WAIT_S = 30


class Arrivals:
    """When each idempotency key arrived (perf_counter), and how many times."""

    def __init__(self):
        self.first, self.count, self.lock = {}, Counter(), threading.Lock()

    def handler(self):
        arrivals = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with arrivals.lock:
                    arrivals.first.setdefault(body["idempotency_key"], (time.perf_counter(), body["key"],
                                                                        body["state"]))
                    arrivals.count[body["idempotency_key"]] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass
        return Handler


def hall_database(directory):
    """A SQLite hub in *directory* with the example hall; its path."""
    with open(HALL_TOML, encoding="utf-8") as f:
        document = config_to_dict(load_config(f.read()))
    database = os.path.join(directory, "hub.sqlite")
    with Store.open(database) as store:
        store.configs.save(document, "bench")
    return database


def change(n, windows, state):
    """The *n*-th incident of the run (at window n mod *windows*), in *state*."""
    window = f"w{n % windows + 1:02d}"
    return AlertChange(key=f"hall/window_empty/{window}/{n}", state=state, hall="hall", kind="window_empty",
                       window=window, department=None, clerks=(), started_at="2026-11-24T00:00:00+00:00",
                       ended_at=None if state == "firing" else "2026-11-24T00:05:00+00:00",
                       summary=f"{window} 窗口无人", link=f"/admin/wall#{window}")


def measure_delivery(args, directory):
    """Put the run's changes and wait for their webhooks: {delivery fields of the summary}."""
    database, arrivals = hall_database(directory), Arrivals()
    server = ThreadingHTTPServer(("127.0.0.1", 0), arrivals.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    put_at = {}
    with Store.open(database) as store, DeliveryWorker(database, interval_s=args.interval_s) as worker:
        store.notify.add_receiver("bench", "webhook", {"url": f"http://127.0.0.1:{server.server_address[1]}/h",
                                                       "secret": "bench"}, "zh", "bench")
        store.notify.add_route({"receiver": "bench", "repeat_s": 24 * 3600}, "bench")
        sink = OutboxSink(store, wake=worker.wake if args.wake == "yes" else None)
        for state in ("firing", "resolved"):            # every incident fires, then (once told) resolves
            for n in range(args.changes // 2):
                item = change(n, args.windows, state)
                sink.put(item)
                put_at[item.key, item.state] = time.perf_counter()
                time.sleep(args.period_s)
            _wait_for(arrivals, len(put_at))
    server.shutdown()
    latencies = sorted((at - put_at[key, state]) * 1000 for at, key, state in arrivals.first.values())
    return {"delivery_p50_ms": round(statistics.median(latencies), 1),
            "delivery_p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1),
            "messages": len(put_at), "lost": len(put_at) - len(arrivals.first),
            "duplicated": sum(1 for c in arrivals.count.values() if c > 1), "interval_s": args.interval_s,
            "wake": args.wake}


def _wait_for(arrivals, count):
    """Wait until *count* keys arrived (at most WAIT_S)."""
    deadline = time.monotonic() + WAIT_S
    while len(arrivals.first) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--period-s", type=float, default=0.02)
    parser.add_argument("--interval-s", type=float, default=1.0, help="the delivery worker's poll interval")
    parser.add_argument("--wake", choices=("yes", "no"), default="yes",
                        help="the sink wakes the worker after each put (the same process), else it polls")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hallpost-alerts-") as directory:
        summary = {"windows": args.windows, **measure_delivery(args, directory)}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
