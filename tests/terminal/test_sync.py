"""Sync against a real HTTP hub on 127.0.0.1: backlog drains exactly once, outages and bad answers."""
import json
import random
import time
from datetime import datetime, timezone

import pytest

from firmware.terminal import faults
from firmware.terminal.hallconfig import ConfigCache
from firmware.terminal.hublink import HubLink
from firmware.terminal.sync import SyncClient
from protocol.config import config_to_dict
from tests.terminal.conftest import TERMINAL, at
from tests.terminal.minihub import KEY, MiniHub


@pytest.fixture
def hub(hall):
    hub = MiniHub(config_document=config_to_dict(hall)).start()
    yield hub
    hub.release.set()
    hub.stop()


def sync_client(hub, clock, tmp_path, *, timeout_s=2.0, batch_size=500, config=False):
    link = HubLink(url=hub.url, terminal=TERMINAL, key=KEY, clock=clock, timeout_s=timeout_s)
    cache = ConfigCache(tmp_path / "hall-config.json") if config else None
    return SyncClient(link=link, clock=clock, config_cache=cache, batch_size=batch_size, backoff_base_s=0.01,
                      backoff_cap_s=0.05, anchor_every_s=10**6, state_path=tmp_path / "status.json",
                      rng=random.Random(7))


def fill(journal_path, count):
    from firmware.terminal.journal import Journal
    with Journal(journal_path, terminal=TERMINAL) as journal:
        for i in range(count):
            journal.append({"boot": "boot0", "mono_ms": i, "wall": at(9).isoformat(), "kind": "done", "post": "A"})


def until(condition, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def drained(window, hub):
    return lambda: window.journal.unsynced_count == 0 and hub.acked() == window.journal.next_seq - 1


@pytest.mark.slow
def test_backlog_of_10000_drains_exactly_once(open_window, hub, clock, tmp_path):
    fill(tmp_path / "journal", 10_000)
    window = open_window(hub=sync_client(hub, clock, tmp_path))
    until(drained(window, hub), what="the backlog to drain")
    last = window.journal.next_seq - 1
    assert last == 10_000 + 2                                # the backlog, a boot fact, one clock anchor
    assert sorted(hub.held) == list(range(1, last + 1))
    assert set(hub.deliveries.values()) == {1}                # nothing was sent twice
    kinds = [hub.held[seq]["kind"] for seq in range(10_001, last + 1)]
    assert sorted(kinds) == ["boot", "clock"]
    assert window.journal.acked_seq == last


@pytest.mark.slow
def test_hub_down_mid_drain_then_up_still_exactly_once(open_window, hub, clock, tmp_path):
    fill(tmp_path / "journal", 10_000)
    sync = sync_client(hub, clock, tmp_path)
    window = open_window(hub=sync)
    until(lambda: len(hub.held) >= 3000, what="part of the drain")
    hub.stop()
    until(lambda: sync.failures >= 3, what="the terminal to notice the hub is away")
    assert faults.HUB_UNREACHABLE in window.terminal.faults()
    window.to(at(9))
    window.press("presence_a")                               # the window works meanwhile
    assert window.lamp("a") == "on"
    hub.start()
    until(drained(window, hub), what="the backlog to drain after the outage")
    last = window.journal.next_seq - 1
    assert sorted(hub.held) == list(range(1, last + 1))
    assert max(hub.deliveries.values()) <= 2                 # only a batch in flight may have been resent
    assert window.journal.acked_seq == last
    assert hub.statuses[-1]["hub_unreachable_since"] is None
    assert any(s["hub_unreachable_since"] for s in hub.statuses)   # the outage was reported


@pytest.mark.parametrize("mode", ["500", "garbage", "timeout"])
def test_bad_answers_the_terminal_keeps_working_and_retries(open_window, hub, clock, tmp_path, mode):
    fill(tmp_path / "journal", 1200)
    sync = sync_client(hub, clock, tmp_path, timeout_s=0.3)
    hub.mode = "hang" if mode == "timeout" else mode
    window = open_window(hub=sync)
    until(lambda: sync.failures >= 3, what="three failed exchanges")
    window.to(at(9))
    window.press("presence_a")                               # presses and lamps go on regardless
    assert window.lamp("a") == "on"
    assert faults.HUB_UNREACHABLE in window.terminal.faults()
    hub.mode = "ok"
    hub.release.set()
    until(drained(window, hub), what="the backlog to drain once the hub behaves")
    last = window.journal.next_seq - 1
    assert sorted(hub.held) == list(range(1, last + 1))
    assert faults.HUB_UNREACHABLE not in window.terminal.faults()


def test_a_busy_hub_is_left_alone_as_long_as_it_asks_and_no_fact_is_dropped(open_window, hub, clock, tmp_path):
    fill(tmp_path / "journal", 700)
    sync = sync_client(hub, clock, tmp_path)
    sync.backoff_cap_s = 30
    waits = []
    sleep = sync._sleep
    sync._sleep = lambda seconds, *, wakeable: (waits.append(seconds), sleep(seconds, wakeable=wakeable))
    hub.mode = "busy"
    window = open_window(hub=sync)
    until(lambda: sync.failures >= 2, what="two busy answers")
    assert waits[:2] and all(wait >= hub.retry_after_s for wait in waits[:2]), waits   # not 0.01 s, 0.02 s
    assert window.journal.unsynced_count > 0 and hub.held == {}
    hub.mode = "ok"
    until(drained(window, hub), what="the backlog to drain once the hub is free")
    last = window.journal.next_seq - 1
    assert sorted(hub.held) == list(range(1, last + 1))     # every fact held, none dropped while it was busy


def test_a_press_never_waits_on_the_network(open_window, hub, clock, tmp_path):
    hub.mode = "hang"                                        # every request hangs until released
    sync = sync_client(hub, clock, tmp_path, timeout_s=30)
    window = open_window(hub=sync)
    until(lambda: len(hub.requests) == 0 and sync.failures == 0, what="start")
    window.to(at(9))
    for _ in range(5):
        window.press("presence_b")                           # settle() would time out if a press waited
        window.clock.advance(1)
    assert window.lamp("b") == "on"
    assert [f["kind"] for f in window.facts()].count("presence") == 5
    hub.release.set()
    until(drained(window, hub), what="the facts to reach the hub")


def test_a_refusal_is_a_loud_fault_not_a_tight_loop(open_window, hub, clock, tmp_path, caplog):
    hub.mode = "reject"
    sync = sync_client(hub, clock, tmp_path)
    sync.backoff_cap_s = 0.2
    window = open_window(hub=sync)
    until(lambda: sync.rejected is not None, what="the refusal")
    time.sleep(1.0)
    assert len(hub.requests) <= 10                           # retried at the cap, not in a loop
    assert faults.HUB_REJECTED in window.terminal.faults()
    assert "facts[0].post" in sync.rejected
    assert any(r.levelname == "ERROR" and "facts[0].post" in r.getMessage() for r in caplog.records)
    hub.mode = "ok"
    until(drained(window, hub), what="recovery after the hub accepts again")
    until(lambda: faults.HUB_REJECTED not in window.terminal.faults(), what="the fault to clear")


def test_wrong_wall_clock_learns_the_hub_offset_and_records_a_clock_anchor(open_window, hub, clock, tmp_path):
    sync = sync_client(hub, clock, tmp_path)                 # the terminal's clock says 2026: far off
    window = open_window(hub=sync)
    until(drained(window, hub), what="first sync")
    statuses = [s for _, _, s in hub.requests]
    assert statuses[:2] == [401, 200]                        # stale timestamp, then signed with hub time
    clock_facts = [f for f in hub.held.values() if f["kind"] == "clock"]
    assert len(clock_facts) == 1 and clock_facts[0]["boot"] == "boot1"
    assert window.terminal.judgement.anchored()
    assert faults.CLOCK_UNCERTAIN not in window.terminal.faults()
    until(lambda: (tmp_path / "status.json").exists(), what="the status file")
    shown = json.loads((tmp_path / "status.json").read_text())          # what `terminal status` prints
    assert shown["last_sync"] and shown["terminal"] == TERMINAL
    assert abs(shown["clock_offset_s"] - sync.link.offset.total_seconds()) < 1e-6
    hub_minus_ours = (datetime.now(timezone.utc) - clock.wall()).total_seconds()  # the hub runs on real time
    assert abs(shown["clock_offset_s"] - hub_minus_ours) < 60


def test_config_is_pulled_with_etag_and_cached_durably(open_window, hub, clock, tmp_path, hall):
    sync = sync_client(hub, clock, tmp_path, config=True)
    window = open_window(hub=sync)
    until(lambda: sync.config_cache.current() is not None, what="the config")
    assert sync.config_cache.current() == hall
    sync.notify()
    until(lambda: ("GET", "/api/v1/config", 304) in hub.requests, what="a conditional GET")
    reopened = ConfigCache(tmp_path / "hall-config.json")
    assert reopened.current() == hall and reopened.etag == '"v1"'
    window.close()


def test_heartbeat_reaches_the_hub_with_nothing_to_send(mock_pins, pinmap, hall, hub, tmp_path):
    from firmware.terminal.clock import ScaledClock
    from firmware.terminal.hallconfig import StaticConfig
    from firmware.terminal.journal import Journal
    from firmware.terminal.panel import Panel
    from firmware.terminal.terminal import Terminal
    clock = ScaledClock(at(9), speed=hall.rules.heartbeat_s * 20)   # a heartbeat every 50 ms of real time
    sync = sync_client(hub, clock, tmp_path, config=True)
    with Panel(pinmap) as panel, Journal(tmp_path / "journal", terminal=TERMINAL) as journal:
        terminal = Terminal(panel=panel, journal=journal, config_source=StaticConfig(hall), clock=clock,
                            boot="boot1", hub=sync).start()
        try:
            until(lambda: journal.unsynced_count == 0 and len(hub.statuses) >= 2, what="the first pushes")
            seen = len(hub.statuses)
            until(lambda: len(hub.statuses) >= seen + 3, what="three heartbeats")
            assert hub.statuses[-1]["unsynced"] == 0 and hub.statuses[-1]["keypad_present"] is False
            assert hub.statuses[-1]["keypad_counts"] == {}
            assert "keypad_missing" in hub.statuses[-1]["faults"]
        finally:
            terminal.close()
