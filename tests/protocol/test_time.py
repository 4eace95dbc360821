"""Fact time from clock anchors per boot; uncertain without one unless the clock is trusted."""
import random
from datetime import date, datetime, timedelta, timezone

from protocol.facts import parse_fact
from protocol.time import anchored_us, boot_anchors, resolve_times, time_of

from .support import DAY, hall_config, judge, rows, script, t

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def facts_of(*scripts):
    return [parse_fact(f) for s in scripts for f in s.facts]


def test_terminal_booted_at_1970_and_synced_later_gets_true_times_for_earlier_facts(hall):
    s = script(anchor=False, wall_skew_s=-(datetime(2026, 11, 24, 7, tzinfo=timezone.utc) - EPOCH).total_seconds())
    s.presence("08:24", "A")           # pressed while the Pi believed it was 1970
    s.clock("09:30")                   # first successful sync, an hour later
    timed, uncertain = resolve_times(hall, facts_of(s))
    assert uncertain == []
    press = next(when for when, f in timed if f.kind == "presence")
    assert press == s.at("08:24")
    assert rows(judge(hall, s), "attendance", session="morning", clerk="c01")[0]["status"] == "on_time"


def test_two_boots_in_a_day_each_use_their_own_anchor(hall):
    first = script(boot="boot-1", booted="07:00")
    first.presence("08:20", "A")
    second = script(boot="boot-2", booted="10:00", first_seq=first.seq + 1, wall_skew_s=-86400 * 365)
    second.presence("10:30", "A", False)
    timed, _ = resolve_times(hall, facts_of(first, second))
    by_seq = {f.seq: when for when, f in timed}
    assert by_seq[first.facts[-1]["seq"]] == first.at("08:20")
    assert by_seq[second.facts[-1]["seq"]] == second.at("10:30")


def test_boot_without_anchor_is_uncertain_unless_the_clock_is_trusted():
    s = script(anchor=False)
    s.presence("08:20", "A")
    untrusted = hall_config()
    timed, uncertain = resolve_times(untrusted, facts_of(s))
    assert timed == [] and {f.kind for f, _ in uncertain} == {"boot", "presence"}
    assert "no clock anchor" in uncertain[0][1]
    report = judge(untrusted, s)
    assert {u["seq"] for u in report["uncertain"]} == {1, 2}
    trusted = hall_config("[rules]\ntrust_wall_clock = true\n")
    assert rows(judge(trusted, s), "attendance", session="morning", clerk="c01")[0]["sign_in"] == t("08:20")


def test_the_nearest_anchor_of_the_boot_wins_so_drift_does_not_accumulate(hall):
    s = script()
    s.presence("08:20", "A")
    drifted = s.add("12:00", "clock", hub_time=(s.at("12:00") + timedelta(seconds=2)).isoformat())
    s.presence("12:01", "A", False)
    timed, _ = resolve_times(hall, facts_of(s))
    by_seq = {f.seq: when for when, f in timed}
    assert by_seq[s.facts[2]["seq"]] == s.at("08:20")                      # nearer the 07:00 anchor
    assert by_seq[s.facts[-1]["seq"]] == s.at("12:01") + timedelta(seconds=2)   # nearer the 12:00 one
    assert by_seq[drifted["seq"]] == s.at("12:00") + timedelta(seconds=2)


def test_a_corrected_time_field_is_used_when_no_anchor_is_at_hand(hall):
    s = script(anchor=False)
    fact = s.presence("08:20", "A")
    fact["time"] = s.at("08:21").isoformat()
    timed, _ = resolve_times(hall, facts_of(s)[1:])
    assert timed[0][0] == s.at("08:21")
    assert DAY == date(2026, 11, 24)


def test_fact_times_are_whole_milliseconds_even_from_a_microsecond_anchor(hall):
    s = script(anchor=False)
    s.presence("08:20", "A")
    s.add("08:30", "clock", hub_time="2026-11-24T08:30:00.123456+08:00")
    timed, _ = resolve_times(hall, facts_of(s))
    assert {when.microsecond for when, _ in timed} == {123000}
    sign_in = rows(judge(hall, s), "attendance", session="morning", clerk="c01")[0]["sign_in"]
    assert sign_in == "2026-11-24T08:20:00.123+08:00"


def test_a_fact_between_two_anchors_takes_the_nearer_one_and_the_earlier_on_a_tie(hall):
    def fact(seq, mono_ms, kind="done", **fields):
        return parse_fact({"terminal": "win-01", "seq": seq, "boot": "b", "mono_ms": mono_ms, "kind": kind,
                           "wall": "2026-11-24T08:00:00+08:00", **({"post": "A"} if kind == "done" else fields)})
    anchors = boot_anchors([fact(1, 10_000, "clock", hub_time="2026-11-24T08:00:00+08:00"),
                            fact(2, 20_000, "clock", hub_time="2026-11-24T09:00:00+08:00")])
    base = datetime(2026, 11, 24, 8, tzinfo=timezone(timedelta(hours=8)))
    early, late = base - timedelta(seconds=10), base + timedelta(hours=1) - timedelta(seconds=20)
    for mono_ms, offset in [(0, early), (10_000, early), (14_999, early), (15_000, early), (15_001, late),
                            (20_000, late), (99_000, late)]:
        assert time_of(hall, anchors, fact(3, mono_ms)) == offset + timedelta(milliseconds=mono_ms), mono_ms


def test_anchored_us_is_time_of_in_unix_microseconds(hall):
    """The store times facts in integer µs (``anchored_us``): the very instant ``time_of`` gives, microsecond
    anchors, a Pi's epoch boot and the nearest-anchor tie included."""
    rng = random.Random(5)
    for _ in range(2000):
        boot_offset = timedelta(microseconds=rng.randint(-10 ** 12, 10 ** 12))
        clocks = [parse_fact({"terminal": "win-01", "seq": i + 1, "boot": "b", "mono_ms": mono_ms, "kind": "clock",
                              "wall": "1970-01-01T00:00:00+00:00",
                              "hub_time": (datetime(2026, 11, 24, tzinfo=timezone.utc) + boot_offset
                                           + timedelta(milliseconds=mono_ms, microseconds=rng.randint(0, 999_999)))
                              .isoformat()})
                  for i, mono_ms in enumerate(sorted(rng.sample(range(10 ** 7), rng.randint(1, 4))))]
        anchors = boot_anchors(clocks)
        pairs_us = [(mono_ms, (offset - EPOCH) // timedelta(microseconds=1)) for mono_ms, offset in anchors[("win-01", "b")]]
        mono_ms = rng.choice([rng.randint(0, 10 ** 7), *(c.mono_ms + rng.choice((-1, 0, 1)) for c in clocks)])
        fact = parse_fact({"terminal": "win-01", "seq": 9, "boot": "b", "mono_ms": max(mono_ms, 0), "kind": "done",
                           "post": "A", "wall": "1970-01-01T00:00:00+00:00"})
        expected = time_of(hall, anchors, fact)
        assert anchored_us(pairs_us, fact.mono_ms) == (expected - EPOCH) // timedelta(microseconds=1)
