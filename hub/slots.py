"""The work a served hub does at once: ``--threads`` requests, however many threads waitress runs.

``hub serve`` runs waitress with ``--threads`` threads for requests and ``--wall-streams`` more for the live walls'
event streams (each holds its thread while open). waitress hands any request to any free thread, so without a
bound a flood of terminal pushes would run on every thread at once: on PostgreSQL more requests than the pool has
connections (they queue for one up to its busy timeout), on either backend more threads sharing the interpreter
than it serves well. :class:`Slots` is a WSGI middleware that lets ``--threads`` requests in at once; the others
wait for a slot on their thread, in the order they came. A slot is held while the app makes the response, not
while waitress sends its body: an event stream gives its slot back as soon as it starts, and computes each wall it
sends in a slot again (:func:`held`), so open walls too use at most the connections and the time requests do.
"""
import threading
from collections import deque
from contextlib import nullcontext

EXTENSION = "hallpost.slots"


class Slots:
    """WSGI middleware over the Flask *app*: at most *count* requests in it at once, the rest waiting first come,
    first served. Also a context manager holding one slot."""

    def __init__(self, app, count):
        self.app, self.free, self._waiting = app, count, deque()
        self._lock = threading.Lock()
        app.extensions[EXTENSION] = self

    def __call__(self, environ, start_response):
        with self:
            return self.app(environ, start_response)

    def __enter__(self):
        with self._lock:
            if self.free and not self._waiting:
                self.free -= 1
                return self
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()                 # the slot is handed over by __exit__
        return self

    def __exit__(self, *exc):
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self.free += 1


def held(app):
    """A slot of *app*'s :class:`Slots` (a context manager; no bound when *app* is not served through one)."""
    return app.extensions.get(EXTENSION) or nullcontext()
