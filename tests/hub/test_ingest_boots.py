"""A push naming several boots: each boot's held anchors read and its held facts re-timed (one query for all), by the
span of seqs the hub keeps of each boot."""
from datetime import datetime

import pytest

from hub.store import Store
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


@pytest.mark.backends("sqlite")
def test_a_hub_of_version_14_keeps_the_span_of_each_boot_held_and_drops_the_boot_index(store, clock, database):
    """Migration 15: each boot's span of seqs from the facts held, the (terminal, boot) index gone; re-timing then
    reads the spans (a later anchor of b1 re-times b1's facts held, not b2's between them)."""
    clock.set(local(DAY, "23:00"))
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    first = script(boot="b1", anchor=False)
    first.presence("08:20", "A", True)
    second = script(boot="b2", booted="12:00", first_seq=first.seq + 1)
    second.presence("14:20", "A", True)
    _ingest(store, first.facts + second.facts)
    store.conn.execute("DROP TABLE boots")
    store.conn.execute("CREATE INDEX facts_boot ON facts (terminal, boot)")
    store.conn.execute("PRAGMA user_version = 14")
    store.close()
    with Store.open(database, clock=clock) as migrated:
        spans = migrated.conn.execute("SELECT boot, first_seq, last_seq FROM boots ORDER BY boot").fetchall()
        assert [tuple(row) for row in spans] == [("b1", 1, first.seq), ("b2", first.seq + 1, second.seq)]
        assert migrated.conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'facts_boot'").fetchone()[0] == 0
        first.seq = second.seq
        first.clock("09:00")
        _ingest(migrated, first.facts[-1:])
        facts = [parse_fact(f) for f in first.facts + second.facts]
        expected = {f.seq: t for t, f in resolve_times(migrated.configs.hall(), facts)[0]}
        held = {f["seq"]: datetime.fromisoformat(f["time"]) for f in migrated.facts.of_window("w03", DAY.isoformat())}
        assert (migrated.facts.uncertain(), held) == ([], expected) and len(held) == len(facts)
        assert migrated.conn.execute("SELECT first_seq, last_seq FROM boots WHERE boot = 'b1'").fetchone()[:] == \
            (1, first.seq)
