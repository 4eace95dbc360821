"""Fact validation: every field checked, unknown kinds and extra junk refused with the field named."""
import re
from datetime import datetime, timedelta

import pytest

from protocol.errors import ConflictingFactError, FactError
from protocol.facts import held_fact, parse_fact, parse_fact_line, same_fact, unique_facts
from protocol.time import anchor_of

GOOD = {"terminal": "win-03", "seq": 7, "boot": "b1", "mono_ms": 1000, "wall": "2026-11-24T08:20:00+08:00",
        "kind": "presence", "post": "A", "on": True}


def test_a_good_fact_round_trips():
    fact = parse_fact(GOOD)
    assert (fact.key, fact.kind, fact["post"], fact.as_dict()) == (("win-03", 7), "presence", "A", GOOD)
    assert parse_fact_line(fact.to_json()) == fact


@pytest.mark.parametrize("change, message", [
    ({"seq": -3}, "seq: must be a positive integer, got -3"),
    ({"seq": 0}, "seq: must be a positive integer, got 0"),
    ({"seq": True}, "seq: must be a positive integer, got True"),
    ({"seq": "7"}, "seq: must be a positive integer, got '7'"),
    ({"mono_ms": -1}, "mono_ms: must be a non-negative integer"),
    ({"terminal": ""}, "terminal: must be an id"),
    ({"terminal": "win 03"}, "terminal: must be an id"),
    ({"boot": "b1\n"}, "boot: must be an id"),                    # "$" would let the final newline in
    ({"wall": "2026-11-24T08:20:00"}, "wall: time must carry a UTC offset"),
    ({"wall": "yesterday"}, "wall: not an ISO 8601 time"),
    ({"time": 5}, "time: must be an ISO 8601 time string"),
    ({"post": "C"}, 'post: must be "A" or "B"'),
    ({"on": "yes"}, "on: must be true or false"),
    ({"kind": "teleport"}, "kind: unknown fact kind 'teleport'"),
    ({"kind": ["presence"]}, "kind: unknown fact kind ['presence']"),
    ({"kind": {"a": 1}}, "kind: unknown fact kind {'a': 1}"),
    ({"junk": 1}, "junk: unknown field for a presence fact"),
])
def test_bad_fields_are_refused_naming_the_field(change, message):
    with pytest.raises(FactError, match=re.escape(message)):
        parse_fact({**GOOD, **change})


@pytest.mark.parametrize("missing", ["terminal", "seq", "boot", "mono_ms", "wall", "kind", "post", "on"])
def test_missing_fields_are_named(missing):
    with pytest.raises(FactError, match=f"^{missing}: missing"):
        parse_fact({k: v for k, v in GOOD.items() if k != missing})


@pytest.mark.parametrize("kind, fields, message", [
    ("rating", {"service": 3, "score": 6}, "score: must be an integer score 1-5"),
    ("rating", {"service": 3, "score": 5.0}, "score: must be an integer score 1-5, got 5.0"),
    ("stray_key", {"key": 1.0}, "key: must be an integer score 1-5, got 1.0"),
    ("rating", {"service": 0, "score": 5}, "service: must be a positive integer"),
    ("handover", {"post": "A", "reason": "lunch"}, "reason: must be one of meeting"),
    ("stray_key", {"key": 9}, "key: must be an integer score 1-5"),
    ("keypad", {"attached": 1}, "attached: must be true or false"),
    ("clock", {"hub_time": "noon"}, "hub_time: not an ISO 8601 time"),
    ("done", {}, "post: missing"),
])
def test_kind_specific_fields_are_checked(kind, fields, message):
    base = {k: GOOD[k] for k in ("terminal", "seq", "boot", "mono_ms", "wall")}
    with pytest.raises(FactError, match=message):
        parse_fact({**base, "kind": kind, **fields})


def test_not_json_is_refused_with_the_column():
    with pytest.raises(FactError, match="not valid JSON"):
        parse_fact_line('{"seq": ')


def test_duplicates_are_dropped_and_conflicts_refused():
    one = parse_fact(GOOD)
    assert unique_facts([one, parse_fact(dict(GOOD)), parse_fact({**GOOD, "time": GOOD["wall"]})]) == [one]
    with pytest.raises(ConflictingFactError, match="win-03 seq 7 was given twice with different contents"):
        unique_facts([one, parse_fact({**GOOD, "on": False})])


@pytest.mark.parametrize("change, message", [
    ({"zeta": 1, "alpha": 2, "seq": -3}, "alpha: unknown field for a presence fact"),
    ({"seq": -3, "post": "C", "boot": None}, 'post: must be "A" or "B"'),
    ({"seq": -3, "boot": "", "wall": "noon"}, "seq: must be a positive integer"),
    ({"mono_ms": -1, "wall": "noon", "time": 5}, "mono_ms: must be a non-negative integer"),
])
def test_of_several_faults_the_first_in_a_fixed_order_is_named(change, message):
    with pytest.raises(FactError, match=f"^{message}"):
        parse_fact({**GOOD, **change})


def test_missing_common_fields_are_named_before_the_kinds_own_faults():
    with pytest.raises(FactError, match="^boot: missing$"):
        parse_fact({k: v for k, v in {**GOOD, "post": "C"}.items() if k not in ("boot", "wall")})


def test_the_fact_keeps_its_fields_in_canonical_order_whatever_order_they_came_in():
    fact = parse_fact(dict(reversed(list({**GOOD, "time": GOOD["wall"]}.items()))))
    assert list(fact.as_dict()) == ["terminal", "seq", "boot", "mono_ms", "wall", "time", "kind", "post", "on"]
    assert fact.data == {"post": "A", "on": True}
    base = {k: v for k, v in GOOD.items() if k not in ("post", "on")}
    assert parse_fact({**base, "kind": "clock", "hub_time": GOOD["wall"]}).data == {"hub_time": GOOD["wall"]}


def test_a_fact_sent_in_canonical_order_is_checked_as_fully_and_copied():
    """A terminal sends its fields in canonical order (the quick way through ``parse_fact``): still every value
    checked, a required field of its kind still missed, and the fact holds its own copy."""
    sent = dict(GOOD)
    fact = parse_fact(sent)
    sent["post"] = "B"
    assert fact.raw["post"] == "A" and fact.raw is not sent
    with pytest.raises(FactError, match="^on: must be true or false"):
        parse_fact({**GOOD, "on": 1})
    with pytest.raises(FactError, match=r"^on: missing \(required for a presence fact\)$"):
        parse_fact({k: v for k, v in GOOD.items() if k != "on"})
    with pytest.raises(FactError, match="^seq: must be a positive integer"):
        parse_fact({**GOOD, "seq": 0})


def test_a_held_fact_is_the_fact_it_was_with_its_resolved_time_if_given():
    corrected = dict(GOOD, time="2026-11-24T08:21:00+08:00")
    assert held_fact(dict(corrected)) == parse_fact(corrected)
    assert held_fact(dict(GOOD)) == parse_fact(GOOD) and held_fact(dict(GOOD)).time is None
    resolved = datetime.fromisoformat("2026-11-24T00:22:00+00:00")
    fact = held_fact(dict(corrected), resolved)
    assert (fact.time, fact.raw["time"], fact.data) == (resolved, resolved.isoformat(), {"post": "A", "on": True})


def test_the_same_fact_may_differ_in_its_time_alone():
    assert same_fact(GOOD, dict(GOOD, time="2026-11-24T08:21:00+08:00"))
    assert not same_fact(GOOD, dict(GOOD, post="B"))
    assert not same_fact(GOOD, dict(GOOD, wall="2026-11-24T08:20:01+08:00"))


def test_a_clock_fact_anchors_its_boot_at_the_hubs_time_less_its_uptime():
    common = {k: v for k, v in GOOD.items() if k not in ("post", "on")}
    clock = parse_fact(dict(common, kind="clock", mono_ms=5000, hub_time="2026-11-24T00:20:05+00:00"))
    mono_ms, offset = anchor_of(clock)
    assert mono_ms == 5000 and offset + timedelta(milliseconds=5000) == datetime.fromisoformat(
        "2026-11-24T00:20:05+00:00")
