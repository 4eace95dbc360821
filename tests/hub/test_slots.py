"""Request slots (hub.slots): however many threads waitress runs, ``--threads`` requests are worked on at once, in
the order they came; an event stream takes no slot for its life but computes its wall in one."""
import threading
import time

import pytest
from flask import Flask, Response
from werkzeug.test import Client

from hub import slots


class Recorder:
    """A Flask app whose /work/<n> views block until released, noting how many run at once and in what order."""

    def __init__(self):
        self.app, self.lock, self.running, self.most, self.order = Flask(__name__), threading.Lock(), 0, 0, []
        self.release, self.entered = threading.Event(), threading.Semaphore(0)

        @self.app.route("/work/<int:n>")
        def work(n):
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
                self.order.append(n)
            self.entered.release()
            self.release.wait(10)
            with self.lock:
                self.running -= 1
            return "done"

        @self.app.route("/stream")
        def stream():
            def endless():
                yield "event: wall\n\n"
                self.release.wait(10)
            return Response(endless(), mimetype="text/event-stream")


def started(client, path, answers):
    thread = threading.Thread(target=lambda: answers.append(client.get(path).status_code))
    thread.start()
    return thread


def waiting(gate, count):
    """Wait until *count* requests wait for a slot of *gate*."""
    for _ in range(500):
        if len(gate._waiting) == count:
            return
        time.sleep(0.01)
    raise AssertionError(f"{len(gate._waiting)} requests waiting, not {count}")


@pytest.fixture
def recorder():
    return Recorder()


def test_only_as_many_requests_as_slots_run_at_once(recorder):
    gate = slots.Slots(recorder.app, 2)
    client, answers = Client(gate), []
    threads = [started(client, f"/work/{n}", answers) for n in range(6)]
    for _ in range(2):
        assert recorder.entered.acquire(timeout=5)
    waiting(gate, 4)
    assert recorder.running == 2
    recorder.release.set()
    for thread in threads:
        thread.join(10)
    assert answers == [200] * 6
    assert recorder.most == 2, "more requests ran at once than there are slots"
    assert gate.free == 2, "a slot was not given back"


def test_waiting_requests_are_let_in_the_order_they_came():
    app, order, entered, release = Flask(__name__), [], threading.Semaphore(0), {n: threading.Event() for n in range(5)}

    @app.route("/work/<int:n>")
    def work(n):
        order.append(n)
        entered.release()
        release[n].wait(10)
        return "done"

    gate = slots.Slots(app, 1)
    client, answers = Client(gate), []
    threads = [started(client, "/work/0", answers)]
    assert entered.acquire(timeout=5)
    for n in range(1, 5):
        threads.append(started(client, f"/work/{n}", answers))
        waiting(gate, n)                # one after another: the order they came is known
    for n in range(5):
        assert order == list(range(n + 1)), "a waiting request was let in out of turn"
        release[n].set()
        if n < 4:
            assert entered.acquire(timeout=5)
    for thread in threads:
        thread.join(10)
    assert answers == [200] * 5 and gate.free == 1


def test_an_open_event_stream_holds_no_slot(recorder):
    gate = slots.Slots(recorder.app, 1)
    client, answers = Client(gate), []
    stream = client.get("/stream", buffered=False)
    assert next(iter(stream.response)) == b"event: wall\n\n"       # open, its generator waiting
    busy = started(client, "/work/0", answers)
    assert recorder.entered.acquire(timeout=5), "the open stream kept the only slot"
    recorder.release.set()
    busy.join(10)
    stream.close()
    assert answers == [200] and gate.free == 1


def test_a_streams_wall_is_computed_in_a_slot(recorder):
    gate = slots.Slots(recorder.app, 1)
    client, answers, computed = Client(gate), [], threading.Event()
    busy = started(client, "/work/0", answers)
    assert recorder.entered.acquire(timeout=5)

    def compute():
        with slots.held(recorder.app):
            computed.set()

    computing = threading.Thread(target=compute)
    computing.start()
    assert not computed.wait(0.3), "the wall was computed while every slot was taken"
    recorder.release.set()
    assert computed.wait(5), "the wall was not computed once a slot came free"
    busy.join(10)
    computing.join(10)

