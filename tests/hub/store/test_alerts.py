"""The alerts table: an incident starts once (also when two processes record it at once), ends once, the next
incident of the same ident gets the next key; an acknowledgement is kept with its first note."""
import pytest

from ..conftest import DAY
from .test_many_processes import together

pytestmark = pytest.mark.backends


def start(store, ident="empty:w03:2026-11-24T01:00:00+00:00", started_at="2026-11-24T01:01:00+00:00", now=None):
    """Record the start of *ident* at w03, judged at *now* (default: *started_at*)."""
    return store.alerts.start(hall=store.configs.resolve(None), ident=ident, kind="empty", window="w03",
                              department="民政局", clerks=("c05",), day=DAY.isoformat(), started_at=started_at,
                              link="/admin/facts?window=w03", now=now or started_at)


def test_an_incident_starts_once_ends_once_and_the_next_has_the_next_key(store):
    hall = store.configs.resolve(None)
    first = start(store)
    assert (first["key"], first["clerks"], first["ended_at"]) == (
        "empty:w03:2026-11-24T01:00:00+00:00#1", ("c05",), None)
    assert start(store) is None
    assert [a["id"] for a in store.alerts.open(hall)] == [first["id"]]
    ended = store.alerts.end(hall=hall, key=first["key"], ended_at="2026-11-24T01:05:00+00:00")
    assert ended["ended_at"] == "2026-11-24T01:05:00+00:00"
    assert store.alerts.end(hall=hall, key=first["key"], ended_at="2026-11-24T01:06:00+00:00") is None
    assert store.alerts.open(hall) == []
    again = start(store, started_at="2026-11-24T02:00:00+00:00")
    assert again["key"] == "empty:w03:2026-11-24T01:00:00+00:00#2"
    assert [a["key"] for a in store.alerts.recent(since="2026-11-24T00:00:00+00:00", hall=hall)] == [
        again["key"], first["key"]]
    assert [a["key"] for a in store.alerts.recent(since="2026-11-24T01:05:01+00:00", hall=hall)] == [again["key"]]
    assert store.alerts.recent(since="2026-11-24T00:00:00+00:00", hall="elsewhere") == []


def test_two_processes_starting_one_incident_at_once_record_it_once(store, database, clock):
    started = together(database, clock, start, start, start)
    assert len([row for row in started if row is not None]) == 1
    assert len(store.alerts.open(store.configs.resolve(None))) == 1


def test_two_processes_ending_one_incident_at_once_end_it_once(store, database, clock):
    key, hall = start(store)["key"], store.configs.resolve(None)
    ended = together(database, clock,
                     *[lambda s: s.alerts.end(hall=hall, key=key, ended_at="2026-11-24T01:05:00+00:00")] * 3)
    assert len([row for row in ended if row is not None]) == 1


def test_an_acknowledgement_is_kept_with_its_first_note(store):
    alert, hall = start(store), store.configs.resolve(None)
    assert store.alerts.acknowledge(alert["id"], hall=hall, by="office", at="2026-11-24T01:02:00+00:00",
                                    note="called 陈静")
    assert not store.alerts.acknowledge(alert["id"], hall=hall, by="other", at="2026-11-24T01:03:00+00:00", note="x")
    kept = store.alerts.get(alert["id"], hall)
    assert (kept["acked_by"], kept["acked_at"], kept["ack_note"]) == (
        "office", "2026-11-24T01:02:00+00:00", "called 陈静")
    assert store.alerts.get(alert["id"], "elsewhere") is None


def test_a_process_judging_at_an_earlier_instant_never_undoes_a_newer_decision(store):
    hall = store.configs.resolve(None)
    opened = start(store, now="2026-11-24T01:01:00.500000+00:00")
    assert store.alerts.end(hall=hall, key=opened["key"], ended_at="2026-11-24T01:01:00.400000+00:00") is None
    assert store.alerts.end(hall=hall, key=opened["key"], ended_at="2026-11-24T01:02:00+00:00") is not None
    assert start(store, now="2026-11-24T01:01:59+00:00") is None           # judged before the end: stale
    assert start(store, now="2026-11-24T01:02:00.000001+00:00")["key"].endswith("#2")


def test_a_round_of_the_rules_is_taken_by_one_process_an_interval(store):
    with store.transaction():
        assert store.alerts.take_round(1_000.0, 1.0), "the first round"
    assert not store.alerts.take_round(1_000.5, 1.0), "another process began one half a second ago"
    assert store.alerts.take_round(1_001.0, 1.0), "an interval later"
    assert not store.alerts.take_round(1_001.9, 1.0)
    assert store.alerts.take_round(900.0, 1.0), "a clock set back is not locked out"
