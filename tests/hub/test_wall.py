"""The live wall model (hub/wall.py) on its own: cards from the store's live state, without Flask."""
from datetime import timezone

import pytest

from hub import wall
from hub.i18n import translations
from hub.wall_text import STATE_WORDS
from protocol.config import load_config
from protocol.status import FAULTS
from protocol.wire import encode_batch, parse_batch

from .conftest import DAY, HALL_TOML, local, script

CONFIG = load_config(HALL_TOML.read_text(encoding="utf-8"))
AT = local(DAY, "09:12:05").astimezone(timezone.utc)


def english(key):
    return translations("en").gettext(key)


def entry(window="w03", **changes):
    """A store entry (``store.live.wall``) of *window*: held by A since a sync at 09:12 UTC+8."""
    held = {"window": window, "name": "3号窗口 民政救助", "terminal": "win-03", "a": "c05", "b": "c06",
            "last_sync": "2026-11-24T01:12:00+00:00", "faults": [], "keypad": True, "strays_dropped": 0,
            "holder": "A", "holder_clerk": "c05", "waiting": None, "empty_since": None, "alarm": False,
            "session": "morning", "signed_in": ["A"], "offline_since": None, "state": "A"}
    return {**held, **changes}


def test_a_held_window_names_its_holder_and_writes_times_in_the_halls_zone():
    card = wall.card(entry(), CONFIG, AT, english)
    assert (card.state, card.holder, card.holder_name, card.a_name, card.b_name) == ("A", "A", "陈静", "陈静", "杨帆")
    assert (card.last_sync_local, card.last_sync_clock) == ("2026-11-24T09:12:00+08:00", "09:12:00")
    assert (card.empty_seconds, card.empty_for, card.offline_clock, card.troubles) == (None, None, None, [])
    assert (card.holder_text, card.keypad_text, card.offline_text) == ("Post A · 陈静", "connected", None)


def test_a_terminal_that_missed_a_heartbeat_has_its_last_sync_marked_late():
    on_time = wall.card(entry(), CONFIG, AT, english)
    assert (on_time.sync_late, on_time.last_sync_text) == (False, "09:12:00")
    late = wall.card(entry(last_sync="2026-11-24T01:10:00+00:00"), CONFIG, AT, translations("zh").gettext)
    assert (late.state, late.sync_late, late.last_sync_text) == ("A", True, "09:10:00（2分钟前）")
    assert wall.card(entry(last_sync=None, state="unknown"), CONFIG, AT, english).last_sync_text is None


def test_nobody_in_a_session_is_empty_for_a_while_and_out_of_sessions_closed():
    empty = entry(state="nobody", holder=None, holder_clerk=None, waiting="B", alarm=True,
                  empty_since="2026-11-24T01:00:00+00:00")
    card = wall.card(empty, CONFIG, AT, english)
    assert (card.state, card.holder_name, card.waiting, card.alarm) == ("empty", None, "B", True)
    assert (card.empty_since, card.empty_seconds, card.empty_for) == ("2026-11-24T09:00:00+08:00", 725, "12 min")
    assert wall.card(empty, CONFIG, AT, translations("zh").gettext).empty_for == "12分钟"
    assert (card.empty_text, card.waiting_name, card.waiting_text) == ("12 min, since 09:00:00", "杨帆",
                                                                       "Waiting for post B: 杨帆")
    chinese = wall.card(empty, CONFIG, AT, translations("zh").gettext)
    assert (chinese.holder_text, chinese.empty_text, chinese.waiting_text) == ("空岗", "09:00:00起，已12分钟",
                                                                               "等待B岗接岗：杨帆")
    closed = wall.card({**empty, "session": None, "alarm": False}, CONFIG, AT, english)
    assert (closed.state, closed.empty_since, closed.empty_seconds, closed.empty_for) == ("closed", None, None, None)


def test_a_silent_terminals_window_is_unknown_since_its_last_sync():
    silent = entry(state="unknown", holder=None, holder_clerk=None, keypad=None,
                   offline_since="2026-11-24T01:01:30+00:00", last_sync="2026-11-24T01:01:30+00:00")
    card = wall.card(silent, CONFIG, AT, english)
    assert (card.state, card.offline_since_local, card.offline_clock) == ("unknown", "2026-11-24T09:01:30+08:00",
                                                                          "09:01:30")
    assert (card.holder_text, card.offline_text) == ("Unknown", "Offline since 09:01:30")
    held = wall.card({**silent, "last_holder": "A", "last_holder_clerk": "c05"}, CONFIG, AT, translations("zh").gettext)
    assert (held.last_holder_name, held.offline_text) == ("陈静", "09:01:30起离线；离线前在岗：A岗 陈静")
    never = wall.card(entry(state="unknown", last_sync=None, offline_since=None), CONFIG, AT, english)
    assert (never.last_sync_clock, never.offline_clock, never.offline_text) == (None, None, None)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_fault_the_protocol_names_has_words_in_each_language(language):
    words = wall.troubles(list(FAULTS), 0, translations(language).gettext)
    assert len(set(words)) == len(FAULTS)
    assert not set(words) & set(FAULTS) and not any(w.startswith("fault_") for w in words)


def test_troubles_keep_the_terminals_order_show_an_unknown_name_as_sent_and_count_dropped_keys():
    troubles = wall.troubles(["hub_unreachable", "lamp_broken", "journal_near_full"], 37, english)
    assert troubles == ["hub unreachable", "lamp_broken", "journal nearly full", "37 stray keys not recorded"]
    assert wall.troubles([], 0, english) == []


def test_the_wall_keeps_the_windows_asked_for_in_the_stores_order():
    entries = [entry("w04", a="c07", b="c08"), entry("w03"), entry("w01", a="c01", b="c02", holder_clerk="c01")]
    shown = wall.build(entries, CONFIG, [CONFIG.window("w03"), CONFIG.window("w01")], AT, english)
    assert [card.id for card in shown.windows] == ["w03", "w01"]
    assert (shown.now, shown.now_local, shown.now_clock) == ("2026-11-24T01:12:05+00:00",
                                                             "2026-11-24T09:12:05+08:00", "09:12:05")


def test_the_json_carries_every_field_of_every_card():
    data = wall.build([entry()], CONFIG, CONFIG.windows, AT, english).as_json()
    assert set(data) == {"now", "now_local", "now_clock", "windows", "totals", "alerts"}
    assert data["windows"][0]["holder_name"] == "陈静" and data["windows"][0]["troubles"] == []
    assert set(data["windows"][0]) == set(wall.Card.__dataclass_fields__)


def test_the_totals_count_held_empty_unknown_closed_and_waiting_windows():
    nobody = {"state": "nobody", "holder": None, "holder_clerk": None}
    entries = [entry("w01"), entry("w02", holder="B", holder_clerk="c06", state="B"),
               entry("w03", **nobody, waiting="B", empty_since="2026-11-24T01:00:00+00:00"),
               entry("w04", **nobody, empty_since="2026-11-24T01:10:00+00:00"),
               entry("w05", **nobody, session=None), entry("w06", **{**nobody, "state": "unknown"})]
    totals = wall.build(entries, CONFIG, CONFIG.windows, AT, english).totals
    assert totals == wall.Totals(held=2, empty=2, unknown=1, closed=1, waiting=1)


def test_the_text_wall_has_words_for_every_state():
    assert set(STATE_WORDS) == set(wall.STATES)


def test_a_snapshot_reads_the_store(store, clock):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    day = script()
    day.presence("08:20", "B", True)
    clock.set(local(DAY, "08:25"))
    held = {"faults": ["journal_near_full"], "keypad_present": False, "keypad_counts": {"dropped_strays": 2}}
    store.facts.ingest(parse_batch(encode_batch("win-03", "0123abcd", day.facts, held), "win-03"))
    store.terminals.touch("win-03")
    shown = {card.id: card for card in wall.snapshot(store, CONFIG, CONFIG.windows, clock(), english).windows}
    w03 = shown["w03"]
    assert (w03.state, w03.holder_name, w03.keypad, w03.last_sync_clock) == ("B", "杨帆", False, "08:25:00")
    assert w03.troubles == ["journal nearly full", "2 stray keys not recorded"]
    assert shown["w01"].state == "unknown" and shown["w01"].last_sync is None
