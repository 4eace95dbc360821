"""The load generator of ``bench/city.py``: worker threads playing window terminals over signed keep-alive HTTP.

Each played terminal keeps a journal of unacked facts, as a real one does: every push sends them (oldest
first, at most a batch) and drops those the hub acknowledges, so a failed push is sent again, never lost.
A pool of worker threads (each with one keep-alive connection per hub process, TCP_NODELAY) sends the
pushes, taking the hub processes in turn. A push's latency runs from the moment it was due, so time spent
waiting for a free worker counts (no coordinated omission); the generator's own CPU is measured to show it
is not the bottleneck.
"""
import heapq
import http.client
import json
import secrets
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from bench.hub import TZ, connect
from protocol.wire import encode_batch, signed_headers

BATCH = 500                   # facts per push, the terminal's default batch size
SERVICE_EVERY_S = 60          # mean seconds between services at a window (a busy hall: a done and its rating)
RATED = 0.85                  # share of services the citizen rates
ANCHOR_EVERY_S = 600          # a clock anchor this often, as the sync client records them
SATURATED = 0.9               # the generator saturates when it uses this much of the one core its GIL allows
RETRIES = 3                   # a push failing at the connection is sent again this often (new nonce)
RETRY_AFTER_S = 1.0           # a terminal whose push was refused while draining waits this long to try again
DRAIN_REFUSALS = 5            # ... and gives up (its facts stay unacked) after this many refusals in a row
REQUEST_TIMEOUT_S = 60        # a request unanswered this long fails (the run stays bounded in time)


class PlayedTerminal:
    """One window terminal's journal: it writes facts of one boot and keeps them until the hub acknowledges them."""

    def __init__(self, terminal, key, rng):
        self.terminal, self.key, self.rng = terminal, key, rng
        self.store_id, self.boot = secrets.token_hex(8), f"{terminal}-{secrets.token_hex(4)}"
        self.started, self.started_wall = time.monotonic(), datetime.now(TZ)
        self.seq, self.acked, self.unacked, self.last_anchor_ms = 0, 0, [], None
        self.lock = threading.Lock()

    def add(self, kind, mono_ms, **fields):
        """Write one fact at *mono_ms* into the journal; return its seq."""
        self.seq += 1
        wall = self.started_wall + timedelta(milliseconds=mono_ms)
        self.unacked.append({"terminal": self.terminal, "seq": self.seq, "boot": self.boot, "mono_ms": mono_ms,
                             "wall": wall.isoformat(timespec="seconds"), "kind": kind, **fields})
        return self.seq

    def now_ms(self):
        """Milliseconds since this terminal booted."""
        return int((time.monotonic() - self.started) * 1000)

    def live(self, period_s):
        """Write what happened at the window since the last push (*period_s* ago): presses, ratings, anchors."""
        mono = self.now_ms()
        if self.seq == 0:
            self.add("boot", 0, software="hallpost bench")
            self.add("keypad", 0, attached=True, firmware="1.0")
            self.add("presence", mono, post="A", on=True)
        if self.last_anchor_ms is None or mono - self.last_anchor_ms >= ANCHOR_EVERY_S * 1000:
            self.last_anchor_ms = mono
            self.add("clock", mono, hub_time=datetime.now(timezone.utc).isoformat(timespec="milliseconds"))
        if self.rng.random() < period_s / SERVICE_EVERY_S:
            self.service(mono, self.rng.random() < RATED)

    def service(self, mono, rated):
        """A service done at *mono* and its rating (or the prompt timing out)."""
        done = self.add("done", mono, post="A")
        if rated:
            self.add("rating", mono, service=done, score=self.rng.choice((5, 5, 5, 4, 4, 3, 2, 1)))
        else:
            self.add("rating_missed", mono, service=done)

    def outage(self, count):
        """Write *count* facts of services done while the hub was away (timed by this boot's earlier anchor)."""
        if self.last_anchor_ms is None:         # it had not pushed yet: its boot and first anchor come first
            self.live(0)
        first, last = (self.unacked[-1]["mono_ms"] if self.unacked else self.last_anchor_ms), self.now_ms()
        for i in range(count // 2):
            self.service(first + (last - first) * i // max(1, count // 2), True)
        if count % 2:
            self.add("done", last, post="A")

    def batch(self):
        """The body of the next push: the oldest unacked facts, at most a batch (none: the heartbeat)."""
        return encode_batch(self.terminal, self.store_id, self.unacked[:BATCH], {"keypad": True})

    def ack(self, acked):
        """The hub holds every fact up to *acked*: drop them from the journal."""
        self.acked = max(self.acked, acked)
        self.unacked = [f for f in self.unacked if f["seq"] > self.acked]


class Samples:
    """What the pushes of one phase met: latencies from due to answer (ms), facts sent, refusals."""

    def __init__(self):
        self.latencies, self.facts, self.retries, self.refused, self.example = [], 0, 0, 0, None
        self.lock = threading.Lock()

    def record(self, due, facts, retries):
        """One push answered: its latency since *due*, *facts* it carried, *retries* it took."""
        with self.lock:
            self.latencies.append((time.perf_counter() - due) * 1000)
            self.facts += facts
            self.retries += retries

    def refusal(self, reason):
        """One push refused or never answered, for *reason*."""
        with self.lock:
            self.refused += 1
            self.example = self.example or reason

    def summary(self):
        """{pushes, push_p50_ms, push_p99_ms, refused, retries, refusal_example}; p99 None without two pushes."""
        done = sorted(self.latencies)
        p99 = statistics.quantiles(done, n=100)[98] if len(done) > 1 else None
        return {"pushes": len(done), "push_p50_ms": _round(statistics.median(done) if done else None),
                "push_p99_ms": _round(p99), "refused": self.refused, "retries": self.retries,
                "refusal_example": self.example}


def _round(value):
    return None if value is None else round(value, 1)


class Generator:
    """Worker threads, each with a keep-alive connection per hub port, taking the ports in turn."""

    def __init__(self, ports, workers):
        self.ports, self.workers, self.turn = ports, workers, 0
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="terminal")

    def close(self):
        """Wait for the workers and end them."""
        self.pool.shutdown(wait=True)

    def _exchange(self, method, path, body, headers):
        """One request on this thread's connection to the next port, sent again on a broken connection (*headers*
        is called each time: a new nonce); (status, JSON answer, times sent again)."""
        self.turn = (self.turn + 1) % len(self.ports)
        port = self.ports[self.turn]
        conns = self.local.__dict__.setdefault("conns", {})
        for attempt in range(RETRIES + 1):
            try:
                conn = conns.get(port) or conns.setdefault(port, _connect(port))
                conn.request(method, path, body=body, headers=headers())
                answer = conn.getresponse()
                return answer.status, json.loads(answer.read() or b"null"), attempt
            except (OSError, http.client.HTTPException):
                stale = conns.pop(port, None)
                if stale is not None:
                    stale.close()
                if attempt == RETRIES:
                    raise

    def enrol(self, codes, rng):
        """Enrol a terminal per {terminal: code} over HTTP (concurrently); return [PlayedTerminal]."""
        def one(item):
            terminal, code = item
            status, answer, _ = self._exchange("POST", "/api/v1/enrol", json.dumps({"code": code}).encode(),
                                               lambda: {"Content-Type": "application/json"})
            if status != 201 or answer["terminal"] != terminal:
                raise RuntimeError(f"enrol {terminal}: {status} {answer}")
            return PlayedTerminal(terminal, bytes.fromhex(answer["key"]), rng)
        return list(self.pool.map(one, sorted(codes.items())))

    def push(self, played, due, samples):
        """Push *played*'s oldest unacked facts (at its turn); record the latency from *due*; True if the hub took
        them, False if it refused or never answered (they stay in the journal)."""
        body = played.batch()
        facts = min(len(played.unacked), BATCH)

        def headers():
            signed = signed_headers(played.key, played.terminal, "POST", "/api/v1/facts", body,
                                    timestamp=time.time(), nonce=secrets.token_hex(16))
            return dict(signed, **{"Content-Type": "application/json"})
        try:
            status, answer, retries = self._exchange("POST", "/api/v1/facts", body, headers)
        except (OSError, http.client.HTTPException) as exc:
            samples.refusal(f"connection: {exc!r}")
            return False
        if status != 200:
            samples.refusal(f"{status}: {answer}")
            return False
        played.ack(answer["acked"])
        samples.record(due, facts, retries)
        return True

    def live(self, terminals, duration_s, period_s, rng):
        """Every terminal pushes what happened every *period_s* (first at a random phase) for *duration_s*."""
        samples, start = Samples(), time.perf_counter()
        due = [(start + rng.uniform(0, period_s), i) for i in range(len(terminals))]
        heapq.heapify(due)
        futures = []
        while due and due[0][0] < start + duration_s:
            moment, i = heapq.heappop(due)
            time.sleep(max(0.0, moment - time.perf_counter()))
            futures.append(self.pool.submit(self._cycle, terminals[i], moment, period_s, samples))
            heapq.heappush(due, (moment + period_s, i))
        time.sleep(max(0.0, start + duration_s - time.perf_counter()))
        for future in futures:
            future.result()
        return samples, time.perf_counter() - start

    def _cycle(self, played, due, period_s, samples):
        with played.lock:                     # a terminal's exchanges never overlap: it waits for each answer
            played.live(period_s)
            self.push(played, due, samples)

    def drain(self, terminals):
        """Every terminal reconnects at once and pushes its journal, batch after batch, taking turns; returns
        (samples, seconds until the last terminal's journal was acknowledged)."""
        samples, start, left = Samples(), time.perf_counter(), threading.Semaphore(0)

        def step(played, refusals=0):
            if self.push(played, time.perf_counter(), samples):
                refusals = 0
            else:
                refusals += 1
                time.sleep(RETRY_AFTER_S)       # a refused terminal backs off before it tries again
            if played.unacked and refusals <= DRAIN_REFUSALS:
                self.pool.submit(step, played, refusals)
            else:
                left.release()
        for played in terminals:
            self.pool.submit(step, played)
        for _ in terminals:
            left.acquire()
        return samples, time.perf_counter() - start


def _connect(port):
    """A keep-alive connection to *port* whose requests time out."""
    conn = connect(port)
    conn.sock.settimeout(REQUEST_TIMEOUT_S)
    return conn


def generator_share(cpu_s, wall_s):
    """The share of one core the generator used (its GIL allows one), and whether that saturates it."""
    share = cpu_s / wall_s if wall_s > 0 else 0.0
    return round(share, 3), share >= SATURATED
