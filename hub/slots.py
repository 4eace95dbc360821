"""The work a served hub does at once: ``--threads`` requests, however many threads waitress runs.

``hub serve`` runs waitress with ``--threads`` threads for requests and ``--wall-streams`` more for the live walls'
event streams (each holds its thread while open). waitress hands any request to any free thread, so without a
bound a flood of terminal pushes would run on every thread at once: on PostgreSQL more requests than the pool has
connections (they queue for one up to its busy timeout), on either backend more threads sharing the interpreter
than it serves well. :class:`Slots` is a WSGI middleware that lets ``--threads`` requests in at once; the others
wait for a slot on their thread, in the order they came. A view answering with an event stream
(:func:`streams`) takes no slot for its life; the wall it sends is computed in a slot (:func:`held`), so streams
too use at most the connections and the time that requests do.
"""
import threading
from collections import deque
from contextlib import nullcontext

from werkzeug.exceptions import HTTPException

EXTENSION = "hallpost.slots"


def streams(view):
    """Mark *view* as answering with an event stream: it runs without a slot (the stream computes in one)."""
    view.streams = True
    return view


class Slots:
    """WSGI middleware over the Flask *app*: at most *count* requests in it at once, event streams aside; the rest
    wait first come, first served. Also a context manager holding one slot."""

    def __init__(self, app, count):
        self.app, self.free, self._waiting = app, count, deque()
        self._lock = threading.Lock()
        app.extensions[EXTENSION] = self

    def __call__(self, environ, start_response):
        if self._streams(environ):
            return self.app(environ, start_response)
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

    def _streams(self, environ):
        """Does the request go to a view marked by :func:`streams`?"""
        try:
            endpoint, _ = self.app.url_map.bind_to_environ(environ).match()
        except HTTPException:
            return False
        return getattr(self.app.view_functions.get(endpoint), "streams", False)


def held(app):
    """A slot of *app*'s :class:`Slots` (a context manager; no bound when *app* is not served through one)."""
    return app.extensions.get(EXTENSION) or nullcontext()
