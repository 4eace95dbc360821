"""The store's canonical fact JSON (its C encoder built once) is exactly ``Fact.to_json``'s, character for character."""
import json

from hub.store.facts import _canonical
from protocol.facts import parse_fact

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
