"""Server-sent events read the way a browser's EventSource reads them (fields ``event``, ``id``, ``data``)."""
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """One event: its type ("message" unless named), its id (None: none given) and its data parsed as JSON."""

    type: str
    id: str | None
    data: object


def events(lines):
    """The events of an event stream given as its *lines* (text, without line ends); ``retry`` lines are skipped."""
    fields = {}
    for line in lines:
        if line == "":
            if "data" in fields:
                yield Event(fields.get("event", "message"), fields.get("id"), json.loads(fields["data"]))
            fields = {}
            continue
        name, _, value = line.partition(":")
        fields[name] = value[1:] if value.startswith(" ") else value


def lines_of(chunks):
    """The lines of a stream given as text *chunks* cut anywhere (a test client's or a socket's pieces)."""
    pending = ""
    for chunk in chunks:
        pending += chunk.decode() if isinstance(chunk, bytes) else chunk
        *complete, pending = pending.split("\n")
        yield from complete


def next_wall(stream, until=lambda data: True):
    """The next ``wall`` event of *stream* (an iterator of Events) whose data satisfies *until*."""
    for event in stream:
        if event.type == "wall" and until(event.data):
            return event
    raise AssertionError("the stream ended before such a wall")
