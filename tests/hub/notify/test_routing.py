"""Routes by hall, department and kind; quiet hours; silences; the repeat interval (on the hub's clock)."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from hub.notify.routing import quiet_until
from tests.hub.conftest import DAY, local
from tests.hub.notify.conftest import add_wecom, deliver
from tests.hub.notify.robots import change, receiving

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.backends
def test_a_department_leader_gets_their_windows_alerts_only(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    add_wecom(store, "minzheng", base, department="民政")
    add_wecom(store, "shebao", base, department="社保")
    add_wecom(store, "empty-only", base, kinds=("window_empty",), hall="hall")
    sink.put(change(kind="keypad_missing"))
    assert deliver(store) == 2
    sink.put(change(key="k2"))
    assert deliver(store) == 3
    got = sorted(r["query"]["key"][0] for r in recorder.requests)
    assert got == ["empty-only", "minzheng", "minzheng", "office", "office"]


def test_a_receiver_in_two_matching_routes_gets_one_message(store, sink, robot):
    recorder, base = robot
    add_wecom(store, "office", base)
    store.notify.add_route({"receiver": "office", "department": "民政", "repeat_s": 60}, "office")
    sink.put(change())
    assert deliver(store) == 1 and deliver(store) == 0


@pytest.mark.backends
def test_what_falls_due_in_quiet_hours_is_sent_when_they_end(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base, quiet_from="07:00", quiet_until="08:00")     # the clock is 07:30 local
    sink.put(change())
    assert deliver(store) == 0 and recorder.requests == []
    (row,) = store.outbox.messages()
    assert row["due_at"] == local(DAY, "08:00").astimezone(timezone.utc).isoformat() and row["attempts"] == 0
    clock.set(local(DAY, "07:59:59"))
    assert deliver(store) == 0
    clock.set(local(DAY, "08:00"))
    assert deliver(store) == 1


def test_an_incident_resolved_within_quiet_hours_sends_nothing(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base, quiet_from="22:00", quiet_until="08:00")
    sink.put(change())
    deliver(store)
    clock.advance(600)
    sink.put(change(state="resolved"))
    clock.set(local(DAY, "09:00"))
    assert deliver(store) == 0 and recorder.requests == []
    assert [row["status"] for row in store.outbox.messages()] == ["dropped"]


@pytest.mark.parametrize("now, window, until", [
    ("23:30", ("22:00", "07:00"), (1, "07:00")), ("06:59", ("22:00", "07:00"), (0, "07:00")),
    ("07:00", ("22:00", "07:00"), None), ("12:00", ("12:00", "13:30"), (0, "13:30")),
    ("21:59", ("22:00", "07:00"), None),
])
def test_quiet_hours_may_span_midnight(now, window, until):
    route = {"quiet_from": window[0], "quiet_until": window[1]}
    moment = local(DAY, now)
    expected = None if until is None else datetime.combine(DAY + timedelta(days=until[0]),
                                                           datetime.strptime(until[1], "%H:%M").time(), TZ)
    assert quiet_until(route, moment, TZ) == expected


@pytest.mark.backends
def test_a_silenced_incident_sends_nothing_until_the_silence_ends(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    silence = store.notify.add_silence({"window": "w03", "starts_at": clock(), "ends_at": clock() + timedelta(hours=1),
                                        "comment": "w03 设备维修"}, "office")
    sink.put(change())
    sink.put(change(key="w04", window="w04"))
    assert deliver(store) == 1 and recorder.requests[0]["json"]["markdown"]["content"].count("w04") >= 1
    clock.advance(1800)
    assert deliver(store) == 0
    clock.advance(1800)
    assert deliver(store) == 1 and "w03" in recorder.requests[1]["json"]["markdown"]["content"]
    (audit,) = store.audit.entries(action="add notify silence")
    assert audit["actor"] == "office" and audit["detail"]["id"] == silence and audit["detail"]["comment"] == "w03 设备维修"


def test_a_silence_expired_early_lets_the_held_message_go(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    silence = store.notify.add_silence({"kind": "window_empty", "starts_at": clock(),
                                        "ends_at": clock() + timedelta(hours=8), "comment": "演练"}, "office")
    sink.put(change())
    assert deliver(store) == 0
    clock.advance(60)
    store.notify.expire_silence(silence, "office")
    assert deliver(store) == 1                                  # not held until the silence's planned end
    with pytest.raises(LookupError, match=f"no silence {silence} in force"):
        store.notify.expire_silence(silence, "office")
    assert store.audit.entries(action="expire notify silence")[0]["actor"] == "office"


def test_an_expired_silence_no_longer_holds_new_messages(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base)
    silence = store.notify.add_silence({"hall": "hall", "starts_at": clock(), "ends_at": clock() + timedelta(hours=8),
                                        "comment": "演练"}, "office")
    store.notify.expire_silence(silence, "office")
    sink.put(change())
    assert deliver(store) == 1


@pytest.mark.backends
def test_a_firing_incident_is_repeated_every_repeat_interval_until_resolved(store, sink, robot, clock):
    recorder, base = robot
    add_wecom(store, "office", base, repeat_s=1800)
    sink.put(change())
    assert deliver(store) == 1
    clock.advance(1799)
    assert deliver(store) == 0
    clock.advance(1)
    assert deliver(store) == 1
    clock.advance(1800)
    assert deliver(store) == 1
    sink.put(change(state="resolved"))
    clock.advance(3600)
    assert deliver(store) == 1 and deliver(store) == 0
    titles = [body["markdown"]["content"].split("\n")[0] for body in recorder.taken()]
    assert titles == ["**【告警】w03 窗口无人**", "**【仍在告警】w03 窗口无人**", "**【仍在告警】w03 窗口无人**",
                      "**【已恢复】w03 窗口无人**"]
    assert len(recorder.keys) == 4


def test_a_resolution_waits_for_its_firing_message_to_the_same_receiver(store, sink, clock):
    with receiving() as (recorder, base):
        add_wecom(store, "office", base)
        recorder.down = True
        sink.put(change())
        deliver(store)                                      # tried, failed: the firing is still owed
        sink.put(change(state="resolved"))
        recorder.down = False
        assert deliver(store) == 0                          # the firing's retry is not due, the resolution waits
        clock.advance(3600)
        assert deliver(store) == 2                          # the firing, then (its next round) the resolution
    titles = [body["markdown"]["content"].split("\n")[0] for body in recorder.taken()]
    assert titles == ["**【告警】w03 窗口无人**", "**【已恢复】w03 窗口无人**"]


def test_a_silence_of_everything_is_refused():
    from hub.notify.validate import silence
    moment = local(DAY, "08:00")
    with pytest.raises(ValueError, match="a silence of everything is refused"):
        silence(halls={"hall"}, starts_at=moment, ends_at=moment + timedelta(hours=1), comment="x", now=moment)
