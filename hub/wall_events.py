"""The wall pushed, not polled: server-sent events of the live wall, each open wall on one long response.

Every open wall used to ask for wall.json every second (a request per wall per second). Here a wall opens one
``text/event-stream`` response and the hub writes to it:

- ``event: wall`` with the same JSON as wall.json when the wall's content changed (its ``id`` a digest of the
  content, the clock fields aside: a browser reconnecting with ``Last-Event-ID`` of the wall it shows is
  not sent that wall again);
- ``event: clock`` with the hub's time on every other tick (a heartbeat: the page knows the hub is there,
  and no proxy or idle timeout closes a quiet stream).

A fact arriving wakes every stream of the process at once (:meth:`WallEvents.changed`, one call in the ingest
path); a tick of :data:`TICK_S` catches what time alone changes (an empty window's duration, a terminal going
silent) and facts taken by another hub process on the same database, so a wall is at most a tick late.
The wall is computed once per key (hall, scope of windows, language) per change or tick, however many walls
show it (:class:`Feed`), so fifty open walls cost the database what one does.

waitress gives each stream one of its threads for the stream's life (not one of the request slots of
:mod:`hub.slots`: each wall is computed in one). So streams are bounded
(``WALL_STREAMS`` at once per process: ``hub serve`` adds as many threads to waitress's, the terminals'
requests keep theirs), each ends after ``WALL_STREAM_S`` (the browser reconnects by itself, which checks the
session again), and one over the bound is answered 503 (the page then polls wall.json). waitress 3 writes
each chunk at once (its deprecated ``send_bytes`` is 1: Pylons/waitress#120); the ``X-Accel-Buffering: no``
header keeps nginx from holding the events back.
"""
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from functools import partial

from flask import Response, current_app

from . import slots
from .store import DatabaseBusy

EXTENSION = "hallpost.wall_events"
TICK_S = 1.0                # time-driven changes (and other processes' facts) reach a wall within a tick
STREAM_S = 300              # a stream ends after this long; the browser reconnects (and its session is checked)
MAX_STREAMS = 64            # streams at once per process (each holds a waitress thread)
RETRY_MS = 1000             # the browser's wait before reconnecting (the SSE ``retry`` field)
FULL_RETRY_S = 60           # Retry-After of the 503 answered when every stream is taken
CLOCK_FIELDS = ("now", "now_local", "now_clock")


@dataclass(frozen=True)
class Snapshot:
    """One computed wall: its event id (digest of the content without the clock), its JSON and the clock's."""

    id: str
    data: str
    clock: str


def snapshot_of(answer):
    """The :class:`Snapshot` of a wall's JSON-ready *answer* (a dict with the :data:`CLOCK_FIELDS`)."""
    content = {key: value for key, value in answer.items() if key not in CLOCK_FIELDS}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]
    return Snapshot(id=digest, data=json.dumps(answer, ensure_ascii=False),
                    clock=json.dumps({key: answer[key] for key in CLOCK_FIELDS}))


class Changes:
    """How many times the process's walls changed (facts stored), and a wait for the next change."""

    def __init__(self):
        self._condition = threading.Condition()
        self.version = 0

    def changed(self):
        """Note a change and wake every stream waiting for one."""
        with self._condition:
            self.version += 1
            self._condition.notify_all()

    def wait(self, seen, timeout):
        """Wait until the version is not *seen* or *timeout* seconds passed; return the version."""
        with self._condition:
            self._condition.wait_for(lambda: self.version != seen, timeout)
            return self.version


class _Entry:
    def __init__(self):
        self.lock, self.stamp, self.snapshot = threading.Lock(), None, None


class Feed:
    """The latest :class:`Snapshot` of each key, computed once per (change, tick) whoever asks first."""

    def __init__(self, changes, *, tick_s=TICK_S, monotonic=time.monotonic):
        self.changes, self.tick_s, self.monotonic = changes, tick_s, monotonic
        self._entries, self._lock = {}, threading.Lock()

    def latest(self, key, compute):
        """The snapshot of *key* for this change and tick: *compute*'s answer (a dict), computed by one caller."""
        stamp = (self.changes.version, int(self.monotonic() // self.tick_s))
        with self._lock:
            entry = self._entries.setdefault(key, _Entry())
        with entry.lock:
            if entry.stamp != stamp:
                entry.snapshot, entry.stamp = snapshot_of(compute()), stamp
            return entry.snapshot


class WallEvents:
    """A process's wall events: its :class:`Changes`, its :class:`Feed` and its bound on open streams."""

    def __init__(self, max_streams=MAX_STREAMS, *, tick_s=TICK_S):
        self.changes = Changes()
        self.feed = Feed(self.changes, tick_s=tick_s)
        self.tick_s, self.max_streams, self.open = tick_s, max_streams, 0
        self._lock = threading.Lock()

    def take(self):
        """Take a stream slot; False when all :attr:`max_streams` are open."""
        with self._lock:
            if self.open >= self.max_streams:
                return False
            self.open += 1
            return True

    def give_back(self):
        """Give back a slot taken by :meth:`take`."""
        with self._lock:
            self.open -= 1

    def events(self, key, compute, last_id, lifetime_s, session_ends=None):
        """The stream's text: a wall event when *key*'s wall differs from what the browser has (*last_id*), a
        clock event on other ticks, woken at once by a change; ends after *lifetime_s* seconds, or with a logout
        event once *session_ends* (a callable: has the browser's session run out?) says so."""
        yield f"retry: {RETRY_MS}\n\n"
        deadline, shown, version, ticked = time.monotonic() + lifetime_s, last_id, self.changes.version, True
        while time.monotonic() < deadline:
            if session_ends is not None and session_ends():
                yield "event: logout\ndata: {}\n\n"
                return
            try:
                snapshot = self.feed.latest(key, compute)
            except DatabaseBusy:
                snapshot = None             # the database is busy this tick: the next one asks again
            if snapshot is not None and snapshot.id != shown:
                yield f"event: wall\nid: {snapshot.id}\ndata: {snapshot.data}\n\n"
                shown = snapshot.id
            elif snapshot is not None and ticked:
                yield f"event: clock\ndata: {snapshot.clock}\n\n"
            wait = min(self.tick_s - time.monotonic() % self.tick_s, deadline - time.monotonic())
            seen, version = version, self.changes.wait(version, max(0.0, wait))
            ticked = version == seen

def init_app(app):
    """Give *app* its :class:`WallEvents` (``WALL_STREAMS`` streams at once, default :data:`MAX_STREAMS`)."""
    app.config.setdefault("WALL_STREAMS", MAX_STREAMS)
    app.config.setdefault("WALL_STREAM_S", STREAM_S)
    app.extensions[EXTENSION] = WallEvents(app.config["WALL_STREAMS"])


def changed():
    """Tell the app's open walls that facts were stored (called by the ingest path after its commit)."""
    current_app.extensions[EXTENSION].changes.changed()


def stream(key, compute, last_id, session_ends=None):
    """The response of an event stream of *key* (see :meth:`WallEvents.events`); 503 when every slot is taken."""
    events = current_app.extensions[EXTENSION]
    if not events.take():
        return Response(f"wall events: all {events.max_streams} streams are open; poll wall.json", 503,
                        {"Retry-After": str(FULL_RETRY_S)}, mimetype="text/plain")
    computed = partial(_in_slot, slots.held(current_app._get_current_object()), compute)
    response = Response(events.events(key, computed, last_id, current_app.config["WALL_STREAM_S"], session_ends),
                        mimetype="text/event-stream", headers={"X-Accel-Buffering": "no"})
    response.call_on_close(events.give_back)
    return response


def _in_slot(slot, compute):
    """*compute*'s answer, worked out in one of the process's request slots (see hub.slots)."""
    with slot:
        return compute()
