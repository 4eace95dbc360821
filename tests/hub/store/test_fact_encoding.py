"""A fact's stored text: as its terminal sent it when pushed; else the store's canonical fact JSON (its C encoder
built once), exactly ``Fact.to_json``'s, character for character."""
import json

import pytest

from hub.store.facts import _canonical
from protocol.facts import parse_fact
from protocol.wire import parse_batch

from ..conftest import script

FACTS = [
    {"terminal": "win-01", "seq": 1, "boot": "b1", "mono_ms": 0, "wall": "2026-11-24T07:45:00+08:00", "kind": "boot",
     "software": "hallpost 0.1 \"测试\" \\ \u2028 \t é"},
    {"terminal": "win-01", "seq": 2, "boot": "b1", "mono_ms": 5, "wall": "2026-11-24T07:45:05+08:00", "kind": "keypad",
     "attached": True, "firmware": None},
    {"kind": "handover", "reason": None, "post": "B", "wall": "2026-11-24T09:00:00+08:00", "mono_ms": 2 ** 40,
     "boot": "b1", "seq": 2 ** 53 - 1, "terminal": "win-01", "time": "2026-11-24T09:00:01+08:00"},
]


def test_the_canonical_text_is_to_json_s():
    for row in FACTS:
        fact = parse_fact(row)
        assert _canonical(fact.raw) == fact.to_json()
        assert json.loads(_canonical(fact.raw)) == row


def test_it_encodes_what_json_encodes_for_any_json_value():
    value = {"z": [1, -0.5, 1e300, None, False, {"b": "\x00\x1f", "a": "😀"}], "a": {}, "m": []}
    assert _canonical(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@pytest.mark.backends
def test_a_pushed_fact_is_stored_as_its_terminal_sent_it_an_imported_one_canonical(store):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    day = script()
    day.presence("08:20", "A")
    day.presence("12:00", "A", on=False)
    facts = day.facts
    sent = json.dumps({"terminal": "win-03", "store": "0123abcd", "facts": facts[:2]}, indent=1)
    store.facts.ingest(parse_batch(sent.encode(), "win-03"))
    store.facts.import_facts([parse_fact(row) for row in facts[2:]], "office")
    bodies = [row["body"] for row in store.conn.execute("SELECT body FROM facts ORDER BY seq")]
    assert bodies[:2] == [json.dumps(row, indent=1).replace("\n", "\n  ") for row in facts[:2]]
    assert all(body in sent for body in bodies[:2])
    assert bodies[2:] == [parse_fact(row).to_json() for row in facts[2:]] and len(bodies) == len(facts) > 2
