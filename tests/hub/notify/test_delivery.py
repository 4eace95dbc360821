"""The outbox delivers each incident's change once per receiver, retries a receiver that is down, and survives a
hub restart or a worker killed mid-delivery (the same idempotency key again, never a new message)."""
import random
import threading
from datetime import datetime, timedelta

import pytest

from hub.notify.message import message_of
from hub.notify.receivers import receiver_of
from hub.notify.sink import OutboxSink
from hub.notify.worker import DeliveryWorker, deliver_due
from hub.store import Store
from tests.hub.notify.conftest import POLICY, add_wecom, deliver
from tests.hub.notify.robots import change

pytestmark = pytest.mark.backends


def test_each_state_change_is_delivered_once_then_its_resolution(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    sink.put(change())
    sink.put(change())                                  # the rules said it twice: one message
    assert deliver(store) == 1 and deliver(store) == 0
    clock.advance(60)
    sink.put(change(state="resolved"))
    assert deliver(store) == 1
    contents = [body["markdown"]["content"] for body in recorder.taken()]
    assert "告警" in contents[0] and "已恢复" in contents[1] and "结束：2026-11-24 08:10" in contents[1]
    assert sorted(recorder.keys.values()) == [1, 1]


def test_a_receiver_down_for_an_hour_gets_the_message_once_when_back(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    recorder.down = True
    sink.put(change())
    start, attempts = clock(), []
    while clock() - start < timedelta(hours=1):
        if deliver(store):
            break
        (row,) = store.outbox.messages()
        attempts.append((clock(), row["due_at"]))
        clock.set(max(clock() + timedelta(seconds=1), _time(row["due_at"])))
    waits = [(_time(due) - at).total_seconds() for at, due in attempts]
    assert all(5 <= wait <= 10 for wait in waits[:1])                   # first wait: base 10 s, half jittered
    assert max(waits) <= 300 and max(waits) >= 150                      # capped at 5 min, reached
    assert len(attempts) < 30                                           # bounded over the hour
    (health,) = store.notify.receivers()
    assert health["last_error"].startswith("HTTP 503") and health["last_success"] is None
    assert health["counts"] == {"pending": 1}
    recorder.down = False
    clock.set(_time(store.outbox.messages()[0]["due_at"]))
    assert deliver(store) == 1
    assert list(recorder.keys.values()) == [1]
    (health,) = store.notify.receivers()
    assert health["last_success"] is not None and health["counts"] == {"pending": 1, "sent": 1}   # + its repeat


def test_a_message_tried_past_the_give_up_time_is_failed_and_shown(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    recorder.down = True
    sink.put(change())
    deliver(store)
    clock.advance(POLICY.give_up_s + 1)
    assert deliver(store) == 0
    (row,) = store.outbox.messages()
    assert row["status"] == "failed" and row["last_error"].startswith("HTTP 503") and row["attempts"] == 2
    assert store.notify.receivers()[0]["counts"] == {"failed": 1}
    clock.advance(3600)
    assert deliver(store) == 0 and len(recorder.requests) == 2          # never tried again


def test_pending_messages_resume_after_a_hub_restart(database, store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    sink.put(change())
    store.close()
    with Store.open(database, clock=clock) as restarted:
        assert deliver(restarted) == 1
    assert list(recorder.keys.values()) == [1]


def test_a_worker_killed_after_sending_is_resent_with_the_same_key(database, store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    sink.put(change())
    (row,) = store.outbox.claim(lease_s=POLICY.lease_s, limit=5, hold=lambda row: None)
    config = store.configs.hall(row["hall"])
    receiver_of(store.notify.receiver("office")).send(
        message_of(row, language="zh", tz=config.tz, hall_name=config.name))
    store.close()                                       # killed before recording the send
    with Store.open(database, clock=clock) as restarted:
        assert deliver(restarted) == 0                  # its lease still holds
        clock.advance(POLICY.lease_s)
        assert deliver(restarted) == 1
    assert recorder.keys == {row["idempotency"]: 2}     # the receiver dedupes it by its key


def test_backoff_doubles_up_to_the_cap_with_jitter_in_the_second_half():
    now = _time("2026-11-24T00:00:00+00:00")
    row = {"created_at": "2026-11-24T00:00:00+00:00"}
    rng = random.Random(3)
    for attempts, wait in [(1, 10), (2, 20), (3, 40), (6, 300), (12, 300)]:
        seconds = (POLICY.retry_at(dict(row, attempts=attempts), now, rng) - now).total_seconds()
        assert wait / 2 <= seconds <= wait
    assert POLICY.retry_at(dict(row, attempts=3), now + timedelta(seconds=POLICY.give_up_s)) is None


def test_two_workers_on_one_database_send_each_message_once(database, store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    for n in range(30):
        sink.put(change(key=f"hall/window_empty/w03/{n}"))
    sent = []

    def work():
        with Store.open(database, clock=clock) as own:
            sent.append(sum(deliver_due(own, policy=POLICY, limit=3) for _ in range(20)))
    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sum(sent) == 30 and len(recorder.keys) == 30 and set(recorder.keys.values()) == {1}


def _time(iso):
    return datetime.fromisoformat(iso)


def test_the_worker_thread_delivers_when_the_sink_wakes_it(database, store, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    with DeliveryWorker(database, clock=clock, interval_s=3600, policy=POLICY) as worker:
        OutboxSink(store, wake=worker.wake).put(change())
        arrived = threading.Event()
        for _ in range(200):                     # far within the hour's interval: only the wake can send it
            if recorder.requests:
                arrived.set()
                break
            threading.Event().wait(0.05)
    assert arrived.is_set() and worker.sent == 1 and not worker.running
