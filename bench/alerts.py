"""Alerts benchmark (issue 15): a terminal's push to the office's webhook, and to 50 open walls' event streams.

Starts ``hallpost hub serve`` (waitress, its deriver idle) on 127.0.0.1 with a hall of 40 windows, enrols the
40 terminals, opens 50 walls on /admin/wall/events (one office login, 50 streams), then pushes facts as the
terminals would (signed batches over HTTP), one probe at a time: each probe flips one window's holder (A signs
in, or out) and waits until every wall has shown it. ``wall_event_p99_ms`` is from the push's start to the wall
event showing it, in each client (50 samples per probe). The same probes are then run with 50 walls polling
wall.json every second as wall.js did before (``--no-polling`` skips that), counting both ways' requests.
Then the alert probes: the hub evaluates its alert rules every 0.2 s and delivers to a signed webhook on
127.0.0.1 (a route for every alert); each probe pushes a service rated 1 at a window (a 差评 opens a follow-up:
the ``low_rating`` alert) and ``alert_p99_ms`` is from the push's start to its webhook's arrival. ``lost``: a
wall or webhook that never showed its probe; ``duplicated``: a message (idempotency key) received twice.
Usage: python bench/alerts.py [--walls 50] [--windows 40] [--probes 40] [--poll-probes 10] [--no-polling] [--dir DIR]
Last line: {"wall_event_p50_ms": .., "wall_event_p99_ms": .., "walls": 50, "windows": 40, "probes": N,
"stream_requests": .., "stream_seconds": .., "requests_per_wall_minute_stream_steady": .., "poll_event_p99_ms": .., "poll_requests": .., "poll_failed": .., "poll_seconds": ..,
"requests_per_wall_minute_stream": .., "requests_per_wall_minute_poll": .., "alert_p50_ms": .., "alert_p99_ms": ..,
"lost": 0, "duplicated": 0}
"""
import argparse
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.hub import call, connect, cpu_seconds, free_port, hall_document, office_session, serve_hub  # noqa: E402
from hub.store import Store  # noqa: E402
from hub.wall_events import STREAM_S  # noqa: E402
from protocol.wire import encode_batch, signed_headers  # noqa: E402
from tests.sse import lines_of  # noqa: E402

WAIT_S = 10                 # a probe not shown by every wall within this long counts its missing walls as lost
POLL_S = 1.0                # the old wall.js: one wall.json per wall per second


class Probe:
    """The change being waited for: window index *index* held by *holder*, pushed at *started* (perf_counter)."""

    def __init__(self, index, holder, walls):
        self.index, self.holder, self.started = index, holder, None
        self.seen, self.latencies, self.done = set(), [], threading.Event()
        self._lock, self._walls = threading.Lock(), walls

    def shown(self, wall, data, arrived):
        """Wall number *wall* received *data* at *arrived* (perf_counter): its latency, the first time it shows the
        change (the client's JSON parsing, 50 walls in one process, is left out: each browser parses its own)."""
        if self.started is None or data["windows"][self.index]["holder"] != self.holder:
            return
        with self._lock:
            if wall not in self.seen:
                self.seen.add(wall)
                self.latencies.append((arrived - self.started) * 1000)
                if len(self.seen) == self._walls:
                    self.done.set()


class Walls:
    """*count* walls following the hub (streaming or polling), each on its own thread, reporting to the probe."""

    def __init__(self, base, cookies, count, polling):
        self.base, self.cookies, self.count, self.polling = base, cookies, count, polling
        self.probe, self.requests, self.failed, self.stop = None, 0, 0, threading.Event()
        self._lock, self._threads = threading.Lock(), []

    def start(self):
        for wall in range(self.count):
            thread = threading.Thread(target=self._poll if self.polling else self._listen, args=(wall,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _session(self):
        import requests
        http = requests.Session()
        http.cookies.update(self.cookies)
        return http

    def _count(self):
        with self._lock:
            self.requests += 1

    def _listen(self, wall):
        """Follow the event stream (reconnecting when it ends) until stopped: a clock event comes every second."""
        http = self._session()
        while not self.stop.is_set():
            self._count()
            with http.get(self.base + "/admin/wall/events", stream=True, timeout=30) as response:
                named = None
                for line in lines_of(response.iter_content(chunk_size=None, decode_unicode=True)):
                    if self.stop.is_set():
                        break
                    if line.startswith("event: "):
                        named = line[len("event: "):]
                    elif line.startswith("data: ") and named == "wall" and self.probe is not None:
                        self.probe.shown(wall, json.loads(line[len("data: "):]), time.perf_counter())

    def _poll(self, wall):
        """Ask for wall.json every second until stopped (a request the hub fails is counted and asked again)."""
        http = self._session()
        while not self.stop.wait(POLL_S):
            self._count()
            try:
                answer = http.get(self.base + "/admin/wall.json", timeout=30)
                arrived, data = time.perf_counter(), answer.json()
            except (OSError, ValueError):
                with self._lock:
                    self.failed += 1
                continue
            if self.probe is not None:
                self.probe.shown(wall, data, arrived)

    def close(self):
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=35)


class Terminals:
    """The hall's 40 terminals: enrolled through the API, pushing signed presence facts timed now."""

    def __init__(self, port, codes):
        self.port, self.keys, self.seqs = port, {}, {}
        self.store_ids = {terminal: secrets.token_hex(8) for terminal in codes}
        conn = connect(port)
        for terminal, code in codes.items():
            status, answer = call(conn, "POST", "/api/v1/enrol", json.dumps({"code": code}).encode(),
                                  {"Content-Type": "application/json"})
            if status != 201:
                raise RuntimeError(f"enrol {terminal}: {status} {answer}")
            self.keys[terminal], self.seqs[terminal] = bytes.fromhex(answer["key"]), answer["acked"] + 1
        conn.close()
        self.boot = secrets.token_hex(4)

    def presence(self, terminal, on):
        """Push A's presence press (*on*) of *terminal* timed now, after a clock anchor (the hub's time now)."""
        self._push(terminal, [("presence", {"post": "A", "on": on})])

    def low_rating(self, terminal):
        """Push a service of *terminal*'s A finished now and rated 1 (非常不满意) at once."""
        self._push(terminal, [("done", {"post": "A"}), ("rating", {"service": self.seqs[terminal] + 1, "score": 1})])

    def _push(self, terminal, kinds):
        """Push a clock anchor and the facts (kind, fields) of *kinds*, timed now, as one signed batch."""
        now, mono_ms = datetime.now(timezone.utc), int(time.monotonic() * 1000)
        facts = []
        for kind, data in (("clock", {"hub_time": now.isoformat()}), *kinds):
            facts.append({"terminal": terminal, "seq": self.seqs[terminal], "boot": self.boot, "mono_ms": mono_ms,
                          "wall": now.isoformat(timespec="milliseconds"), "kind": kind, **data})
            self.seqs[terminal] += 1
        body = encode_batch(terminal, self.store_ids[terminal], facts, {"keypad": True})
        headers = signed_headers(self.keys[terminal], terminal, "POST", "/api/v1/facts", body, timestamp=time.time(),
                                 nonce=secrets.token_hex(16))
        headers["Content-Type"] = "application/json"
        conn = connect(self.port)               # as a terminal after a quiet minute: a new connection
        try:
            status, answer = call(conn, "POST", "/api/v1/facts", body, headers)
        finally:
            conn.close()
        if status != 200:
            raise RuntimeError(f"push refused: {status} {answer}")


class Webhook:
    """The office's signed webhook on 127.0.0.1: when each (kind, window, state) first arrived, and how many times
    each message (idempotency key) came."""

    def __init__(self):
        self.first, self.keys, self.lock = {}, Counter(), threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with hook.lock:
                    hook.first.setdefault((body["kind"], body["window"], body["state"]), time.perf_counter())
                    hook.keys[body["idempotency_key"]] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def arrived(self, key, timeout):
        """When the message *key* (kind, window, state) first arrived (perf_counter), or None after *timeout*."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if key in self.first:
                    return self.first[key]
            time.sleep(0.005)
        return None


def alert_probes(terminals, webhook, windows, probes):
    """Push a 差评 at each of *probes* windows in turn; (latencies ms to its webhook, probes never told)."""
    latencies, lost = [], 0
    for index in range(min(probes, windows)):
        started = time.perf_counter()
        terminals.low_rating(f"win-{index + 1:02d}")
        arrived = webhook.arrived(("low_rating", f"w{index + 1:02d}", "firing"), WAIT_S)
        if arrived is None:
            lost += 1
        else:
            latencies.append((arrived - started) * 1000)
        print(f"alert probe {index}: {latencies[-1] if arrived else float('nan'):.0f} ms", file=sys.stderr)
    return latencies, lost


def run_probes(walls, terminals, windows, probes, holders):
    """Push *probes* changes one after another; return (latencies ms, walls that missed a probe)."""
    latencies, lost = [], 0
    for number in range(probes):
        index = number % windows
        terminal = f"win-{index + 1:02d}"
        holders[index] = None if holders[index] == "A" else "A"
        probe = Probe(index, holders[index], walls.count)
        walls.probe = probe
        probe.started = time.perf_counter()
        terminals.presence(terminal, holders[index] == "A")
        if not probe.done.wait(WAIT_S):
            lost += walls.count - len(probe.seen)
        latencies += probe.latencies
        print(f"probe {number}: slowest wall {max(probe.latencies, default=0):.0f} ms", file=sys.stderr)
    walls.probe = None
    return latencies, lost


def percentile(values, share):
    """The *share* (0..1) percentile of *values* (nearest rank), None when there are none."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else None


def phase(base, cookies, terminals, args, polling, holders, hub, probes):
    """One phase (streaming or polling walls): latencies, lost walls, requests and seconds from the walls' start
    to their close, and the hub's CPU seconds meanwhile."""
    started, cpu = time.perf_counter(), cpu_seconds(hub.pid)
    walls = Walls(base, cookies, args.walls, polling).start()
    time.sleep(2 * POLL_S)                          # every wall connected (or polled once) before the first probe
    latencies, lost = run_probes(walls, terminals, args.windows, probes, holders)
    walls.close()
    return latencies, lost, walls.requests, walls.failed, time.perf_counter() - started, cpu_seconds(hub.pid) - cpu


def wall_events_bench(args, workdir):
    """The wall part: a dict of the measures of the last line."""
    db = "sqlite://" + os.path.join(os.path.abspath(workdir), "alerts.sqlite")
    with Store.open(db) as store:
        store.configs.save(hall_document(args.windows), "bench")
        codes = {f"win-{i:02d}": store.terminals.new_enrolment_code(f"w{i:02d}", "bench")
                 for i in range(1, args.windows + 1)}
        webhook = Webhook()
        store.notify.add_receiver("bench", "webhook", {"url": webhook.url, "secret": "bench"}, "zh", "bench")
        store.notify.add_route({"receiver": "bench", "repeat_s": 24 * 3600}, "bench")
    port = free_port()
    hub = serve_hub(port, "--database", db, "--derive-every", "0", "--alert-every", "0.2")
    try:
        terminals = Terminals(port, codes)
        with Store.open(db) as store:
            cookies = office_session(port, store).cookies
        base, holders = f"http://127.0.0.1:{port}", [None] * args.windows
        result = {"walls": args.walls, "windows": args.windows, "probes": args.probes}
        latencies, lost, requests, _, seconds, cpu = phase(base, cookies, terminals, args, False, holders, hub,
                                                           args.probes)
        result.update(wall_event_p50_ms=percentile(latencies, 0.5), wall_event_p90_ms=percentile(latencies, 0.9),
                      wall_event_p99_ms=percentile(latencies, 0.99),
                      stream_requests=requests, stream_seconds=round(seconds, 1), stream_hub_cpu_s=round(cpu, 1),
                      requests_per_wall_minute_stream=round(requests / args.walls / seconds * 60, 2),
                      # past the run's first minutes: one stream per wall per WALL_STREAM_S (it then reconnects)
                      requests_per_wall_minute_stream_steady=round(60 / STREAM_S, 2))
        if args.polling:
            polled, poll_lost, requests, failed, seconds, cpu = phase(base, cookies, terminals, args, True, holders,
                                                                      hub, args.poll_probes)
            lost += poll_lost
            result.update(poll_event_p99_ms=percentile(polled, 0.99), poll_requests=requests, poll_failed=failed,
                          poll_seconds=round(seconds, 1), poll_hub_cpu_s=round(cpu, 1),
                          requests_per_wall_minute_poll=round(requests / args.walls / seconds * 60, 2))
        alerts, alerts_lost = alert_probes(terminals, webhook, args.windows, args.probes)
        result.update(alert_p50_ms=percentile(alerts, 0.5), alert_p99_ms=percentile(alerts, 0.99),
                      alert_probes=len(alerts) + alerts_lost, lost=lost + alerts_lost,
                      duplicated=sum(count - 1 for count in webhook.keys.values()))
        return result
    finally:
        hub.terminate()
        hub.wait(timeout=10)
        webhook.server.shutdown()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walls", type=int, default=50)
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--poll-probes", type=int, default=10, help="probes of the polling comparison")
    parser.add_argument("--no-polling", dest="polling", action="store_false", help="skip the polling comparison")
    parser.add_argument("--dir", help="work directory (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.dir:
        result = wall_events_bench(args, args.dir)
    else:
        with tempfile.TemporaryDirectory(prefix="hallpost-alerts-") as workdir:
            result = wall_events_bench(args, workdir)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
