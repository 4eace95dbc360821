"""The hub's reader (msgspec, protocol.fact_schema) and the wire's own give the same answer on every batch: the same
Facts, raw fields in the same order, texts as sent, or the same refusal with the same message."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol import wire
from protocol.errors import WireError
from protocol.fact_schema import read_body
from protocol.facts import HANDOVER_REASONS, KINDS, MAX_MONO_MS, MAX_SEQ

from .support import script

TERMINAL = "win-01"
# values a field may be sent with: the valid ones of every check, and near misses of each
EDGES = ["A", "B", "a", "", "win-01", "win-01\n", "x" * 64, "x" * 65, "-x", "b1", "中文", "x" * 200, "x" * 201,
         "2026-11-24T08:30:00+08:00", "2026-11-24T08:30:00", "2026-11-24T08:30:00Z", "2100-01-01T00:00:00+00:00",
         "1969-12-31T00:00:00+00:00", "2026-11-24 08:30:00+08:00", "not a time", *HANDOVER_REASONS,
         0, 1, 2, 5, 6, -1, MAX_SEQ, MAX_SEQ + 1, MAX_MONO_MS, MAX_MONO_MS + 1, 5.0, 1.5, True, False, None, [], {},
         2 ** 70]
VALUES = st.one_of(st.sampled_from(EDGES), st.text(max_size=8), st.integers())
VALID = {"post": "A", "on": True, "reason": "meeting", "service": 3, "score": 4, "key": 2, "attached": True,
         "firmware": "1.0", "software": "hallpost 0.1", "hub_time": "2026-11-24T00:30:00+00:00"}


def valid_fact(kind, seq=1):
    """A valid *kind* fact, every field of its kind given."""
    return {"terminal": TERMINAL, "seq": seq, "boot": "b1", "mono_ms": 1000, "wall": "2026-11-24T08:30:00+08:00",
            "kind": kind, **{name: VALID[name] for name in KINDS[kind]}}


@st.composite
def facts(draw):
    """A fact as a dict: usually valid, often with one field changed, dropped, added or moved."""
    kind = draw(st.sampled_from([*KINDS, "nonsense"]))
    fact = {"terminal": TERMINAL, "seq": draw(st.integers(1, 50)), "boot": "b1",
            "mono_ms": draw(st.integers(0, 10 ** 6)), "wall": "2026-11-24T08:30:00+08:00"}
    if draw(st.booleans()) and draw(st.booleans()):
        fact["time"] = draw(st.sampled_from([None, "2026-11-24T08:31:00+08:00", "soon"]))
    fact["kind"] = kind
    for name, (_, required) in KINDS.get(kind, {}).items():
        if required or draw(st.booleans()):
            fact[name] = draw(st.sampled_from([VALID[name], None])) if not required else VALID[name]
    change = draw(st.sampled_from(["none", "none", "value", "drop", "add", "move"]))
    name = draw(st.sampled_from(sorted(fact)))
    if change == "value":
        fact[name] = draw(VALUES)
    elif change == "drop":
        del fact[name]
    elif change == "add":
        fact[draw(st.sampled_from(["extra", "post", "time", "score"]))] = draw(VALUES)
    elif change == "move":
        fact[name] = fact.pop(name)
    return fact


def body_of(rows, separators=(",", ":")):
    return json.dumps({"terminal": TERMINAL, "store": "0123456789abcdef", "facts": rows}, ensure_ascii=False,
                      separators=separators).encode()


def outcome(body, reader=None):
    """The batch a reader gives for *body*, as comparable parts, or its refusal."""
    try:
        batch = wire.parse_batch(body, TERMINAL, reader=reader)
    except WireError as exc:
        return type(exc).__name__, str(exc)
    return (batch.terminal, batch.store, batch.status, batch.texts, batch.facts,
            [list(fact.raw.items()) for fact in batch.facts], [fact.data for fact in batch.facts])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(facts(), max_size=4), st.booleans(), st.sampled_from([{}, {"faults": []}, {"bogus": 1}, None]))
def test_both_readers_give_the_same_batch_or_the_same_refusal(rows, spaced, status):
    separators = (", ", ": ") if spaced else (",", ":")
    body = {"terminal": TERMINAL, "store": "0123456789abcdef", "facts": rows}
    if status is not None:
        body["status"] = status
    encoded = json.dumps(body, ensure_ascii=False, separators=separators).encode()
    assert outcome(encoded, read_body) == outcome(encoded)


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_of_every_kind_with_every_edge_value_is_answered_alike(kind):
    cases = 0
    for name in valid_fact(kind):
        for value in EDGES + ["drop", "move"]:
            fact = valid_fact(kind)
            if value == "drop":
                del fact[name]
            elif value == "move":
                fact[name] = fact.pop(name)
            else:
                fact[name] = value
            body = body_of([valid_fact("presence", seq=9), fact])
            assert outcome(body, read_body) == outcome(body), (name, value)
            cases += 1
    for name, value in (("time", None), ("time", "2026-11-24T08:31:00+08:00"), ("time", "soon"), ("extra", 1)):
        body = body_of([{**valid_fact(kind), name: value}])
        assert outcome(body, read_body) == outcome(body), (name, value)
    assert cases > 300


@pytest.mark.parametrize("body", [
    b'{"terminal":"win-01","store":"0123456789abcdef","facts":[1,]}',
    b'\xef\xbb\xbf{"terminal":"win-01","store":"0123456789abcdef","facts":[]}',
    b'{"terminal":"win-01","store":"0123456789abcdef","facts":[{"kind":"boot","software":"\\ud800"}]}',
    b'{"terminal":"win-01","store":"0123456789abcdef","facts":[],"facts":[]}',
    b'[]', b'', b'{"terminal":"win-01"}', "{}".encode("utf-16"),
])
def test_bodies_that_are_not_plain_batches_get_the_wires_own_answer(body):
    assert outcome(body, read_body) == outcome(body)


def test_a_terminals_batch_is_read_by_msgspec_alone(monkeypatch):
    day = script()
    day.presence("08:20", "A")
    day.handover("10:00", "A", reason=None)
    day.rating("10:05", 1, 5)
    body = wire.encode_batch(TERMINAL, "0123456789abcdef", day.facts, {"keypad": True})
    wired = []
    own = wire._json
    monkeypatch.setattr(wire, "_json", lambda body: wired.append(body) or own(body))
    assert outcome(body, read_body) == outcome(body)
    assert len(wired) == 1, "only the wire's own reading reached json"
    bad = body.replace(b'"score":5', b'"score":5.0')
    assert outcome(bad, read_body) == outcome(bad) == ("MalformedBatch", outcome(bad)[1])
    assert "score: must be an integer score 1-5, got 5.0" in outcome(bad)[1]
