"""A push naming several boots: each boot's held anchors read and its held facts re-timed (one query for all)."""
from datetime import datetime

from protocol.facts import parse_fact
from protocol.time import resolve_times

from .conftest import DAY, local, script
from .test_store import _ingest


def test_one_push_anchoring_two_boots_times_the_facts_held_of_both(store, clock):
    clock.set(local(DAY, "23:00"))      # after the anchors (the hub refuses future ones)
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    first = script(boot="b1", anchor=False)
    first.presence("08:20", "A", True)
    second = script(boot="b2", booted="12:00", anchor=False, first_seq=first.seq + 1)
    second.presence("14:20", "A", True)
    _ingest(store, first.facts + second.facts)
    assert len(store.facts.uncertain()) == len(first.facts + second.facts)
    second.clock("15:00")
    first.seq = second.seq                  # the terminal numbers its facts on across boots
    first.clock("09:00")
    _ingest(store, first.facts[-1:] + second.facts[-1:])
    facts = [parse_fact(f) for f in first.facts + second.facts]
    expected = {f.seq: t for t, f in resolve_times(store.configs.hall(), facts)[0]}
    held = {f["seq"]: datetime.fromisoformat(f["time"]) for f in store.facts.of_window("w03", DAY.isoformat())}
    assert (store.facts.uncertain(), held) == ([], expected)
    assert len(held) == len(facts)
