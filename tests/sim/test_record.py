"""The record's exactly-once check: the hub's facts (read through the store) against the terminals' journals."""
from datetime import date, datetime, timezone

import pytest

from firmware.sim.hallfile import sim_hall
from firmware.sim.record import facts_exactly_once
from hub.store import Store
from protocol.config import config_from_dict
from protocol.facts import parse_fact
from protocol.scenario import TerminalScript
from protocol.wire import encode_batch, parse_batch

DAY = date(2026, 11, 24)
NOW = datetime.fromisoformat("2026-11-24T10:20:00+08:00").astimezone(timezone.utc)


@pytest.fixture
def hub(tmp_path):
    """A hub database whose one terminal pushed its morning (sign-in, a service, an anchor at 10:19)."""
    document = sim_hall(1, speed=1)
    store = Store.open(str(tmp_path / "hub.sqlite"), clock=lambda: NOW)
    store.configs.save(document, "test")
    terminal, _ = store.terminals.enrol(store.terminals.new_enrolment_code("w01", "test"))
    day = TerminalScript(terminal, DAY, config_from_dict(document).tz)
    day.presence("08:20", "A")
    day.done("09:00")
    day.clock("10:19")
    store.facts.ingest(parse_batch(encode_batch(terminal, "5" * 32, day.facts, {}), terminal))
    yield store, day
    store.close()


def journal(day):
    return [parse_fact(raw) for raw in day.facts]


def test_the_same_facts_in_hub_and_journal_agree(hub):
    store, day = hub
    pushed = len(day.facts)
    day.clock("10:20")                  # anchored after the last push: in the journal only, as allowed
    counts, problems = facts_exactly_once(store, journal(day))
    assert problems == []
    assert counts == {"hub_facts": pushed, "journal_facts": pushed + 1, "distinct_in_hub": pushed,
                      "clock_after_last_push": 1}


def test_a_journaled_fact_the_hub_lacks_is_a_problem(hub):
    store, day = hub
    day.presence("10:20", "A", False)
    _, problems = facts_exactly_once(store, journal(day))
    assert problems == [f"('{day.terminal}', {len(day.facts)}) (presence) journaled but not in the hub"]


def test_a_fact_in_the_hub_alone_or_with_another_body_is_a_problem(hub):
    store, day = hub
    facts = journal(day)
    presence = next(n for n, fact in enumerate(facts) if fact.kind == "presence")
    facts[presence] = parse_fact(dict(day.facts[presence], post="B"))
    _, problems = facts_exactly_once(store, facts[:-1])
    assert problems[0] == f"('{day.terminal}', {len(facts)}) in the hub but in no journal"
    assert problems[1].startswith(f"('{day.terminal}', {presence + 1}) differs: hub ")
    assert len(problems) == 2
