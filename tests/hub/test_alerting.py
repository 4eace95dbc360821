"""The alert evaluator over real HTTP on loopback: facts pushed by a terminal open an alert, more facts resolve
it; each change is put to the sink exactly once, also by a second evaluator or one restarted."""
import time

import pytest

from hub.alert_change import FIRING, RESOLVED
from hub.alerting import Alerting, Followups, evaluate

from .conftest import DAY, local, script

pytestmark = pytest.mark.backends


class ListSink:
    """A sink that keeps what it is given (an AlertSink)."""

    def __init__(self):
        self.changes = []

    def put(self, change):
        self.changes.append(change)


def wait_for(condition):
    """Return once *condition()* holds (bounded: 10 s)."""
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert condition()


def pushed(terminal, clock, day, hub_time):
    """Push every fact of *day* so far, the hub's clock at local *hub_time*."""
    clock.set(local(DAY, hub_time))
    answer = terminal.push(day.facts)
    assert answer.status_code == 200, answer.text


def test_an_empty_window_opens_an_alert_that_b_taking_the_post_resolves(terminal, store, clock):
    day, sink = script(), ListSink()
    day.presence("08:20", "A")
    day.presence("09:00", "A", False)               # A leaves without handing over
    pushed(terminal, clock, day, "09:00:30")
    assert evaluate(store, sink) == []               # within the empty grace (60 s)
    clock.set(local(DAY, "09:01:30"))
    [opened] = evaluate(store, sink)
    assert (opened.state, opened.kind, opened.window, opened.clerks) == (FIRING, "empty", "w03", ("c05",))
    assert opened.started_at == "2026-11-24T01:00:00+00:00"
    assert opened.link.startswith("/admin/facts?window=w03&date=2026-11-24")
    assert opened.summary == "空岗：3号窗口 民政救助，陈静，自2026-11-24 09:00:00起"
    assert evaluate(store, sink) == []               # still open: nothing new
    day.presence("09:03", "B")
    pushed(terminal, clock, day, "09:03:10")
    [resolved] = evaluate(store, sink)
    assert (resolved.state, resolved.key, resolved.ended_at) == (RESOLVED, opened.key, "2026-11-24T01:03:10+00:00")
    assert sink.changes == [opened, resolved]
    assert [row["ended_at"] for row in store.alerts.recent(since="2026-11-24T00:00:00+00:00")] == [resolved.ended_at]


def test_two_evaluators_and_a_restart_put_each_change_once(terminal, app, clock, store):
    day, sink = script(), ListSink()
    day.presence("08:20", "A")
    day.handover("10:00", "A", "meeting")
    pushed(terminal, clock, day, "10:02:01")        # the handover has waited 121 s, the window empty 121 s
    database = app.config["DATABASE"]
    with Alerting(database, clock=clock, interval_s=0.02, sink_for=lambda _: sink) as one, \
            Alerting(database, clock=clock, interval_s=0.02, sink_for=lambda _: sink) as two:
        wait_for(lambda: one.rounds >= 3 and two.rounds >= 3)
    assert sorted((c.state, c.kind) for c in sink.changes) == [(FIRING, "empty"), (FIRING, "handover_waiting")]
    assert one.changes + two.changes == 2
    with Alerting(database, clock=clock, interval_s=0.02, sink_for=lambda _: sink) as restarted:
        wait_for(lambda: restarted.rounds >= 3)
        assert len(sink.changes) == 2
        day.presence("10:03", "B")
        pushed(terminal, clock, day, "10:03:05")
        wait_for(lambda: len(sink.changes) == 4)
    assert sorted((c.state, c.kind) for c in sink.changes[2:]) == [(RESOLVED, "empty"), (RESOLVED, "handover_waiting")]
    assert not restarted.running


def test_a_low_rating_pushed_opens_its_follow_up_alert_and_closing_the_follow_up_ends_it(terminal, store, clock):
    day, sink, followups = script(), ListSink(), Followups()     # kept between rounds, as the loop keeps it
    day.presence("08:20", "A")
    pushed(terminal, clock, day, "08:59")
    assert evaluate(store, sink, followups=followups) == []
    done = day.done("09:00")
    day.rating("09:00:20", done, 2)
    service = done["seq"]
    pushed(terminal, clock, day, "09:01")
    [opened] = evaluate(store, sink, followups=followups)
    assert (opened.kind, opened.window, opened.clerks) == ("low_rating", "w03", ("c05",))
    assert opened.link.endswith(f"#followup-w03-{service}")
    [row] = store.projections.rows("services", start=DAY.isoformat(), end=DAY.isoformat(), window="w03")
    store.followups.close(hall=row["hall"], window="w03", service=service, done=row["done"], closed_by="office",
                          closed_at="2026-11-24T01:10:00+00:00", note="已回访")
    [closed] = evaluate(store, sink, followups=followups)
    assert (closed.state, closed.key) == (RESOLVED, opened.key)


def test_a_sink_that_fails_leaves_the_change_to_the_next_round(terminal, store, clock):
    class Failing:
        def put(self, change):
            raise OSError("outbox: disk full")

    day = script()
    day.presence("08:20", "A")
    day.presence("09:00", "A", False)
    pushed(terminal, clock, day, "09:01:30")
    with pytest.raises(OSError):
        evaluate(store, Failing())
    assert store.alerts.open() == []
    sink = ListSink()
    assert [c.kind for c in evaluate(store, sink)] == ["empty"]
