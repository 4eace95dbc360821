"""Integrity signals of 好差评 (issue 16): each trips on a scripted journal and stays quiet on a near miss."""
import re
from datetime import datetime, timedelta

import pytest

from protocol.config import config_from_dict, config_to_dict
from protocol.errors import ConfigError
from protocol.integrity import Thresholds, signals

from .support import EVENING_DUTY, hall_config, judge, script


def flagged(*scripts, config=None, thresholds=Thresholds()):
    """(kind, window, clerk, count) of each signal in the scripts' derived day."""
    config = config or hall_config()
    report = judge(config, *scripts)
    return [(s.kind, s.window, s.clerk, s.count)
            for s in signals(config, report["services"], report["stray_keys"], thresholds)]


def every(start, step_s, count):
    """*count* local times "HH:MM:SS" from *start*, *step_s* apart."""
    first = datetime.strptime(start, "%H:%M:%S")
    return [(first + timedelta(seconds=step_s * n)).strftime("%H:%M:%S") for n in range(count)]


@pytest.mark.parametrize("gap_s, pairs, expected", [
    (20, 3, [("done_burst", "w01", "c01", 3)]),
    (30, 3, []),                                   # thirty seconds is a (short) service
    (20, 2, []),                                   # two bursts in a day are not yet a pattern
])
def test_done_presses_with_no_service_between_them(gap_s, pairs, expected):
    s = script()
    for n in range(pairs):
        s.done(f"09:{10 * n:02d}:00")
        s.done((datetime.strptime(f"09:{10 * n:02d}:00", "%H:%M:%S") + timedelta(seconds=gap_s)).strftime("%H:%M:%S"))
    assert flagged(s) == expected


@pytest.mark.parametrize("after_s, expected", [(1, [("quick_rating", "w01", "c01", 3)]), (2, [])])
def test_ratings_faster_than_a_citizen_reads_the_prompt(after_s, expected):
    s = script()
    for minute in ("09:00", "09:10", "09:20"):
        done = s.done(f"{minute}:00")
        s.rating(f"{minute}:{after_s:02d}", done, 5)
    assert flagged(s) == expected


def rated_run(s, start, scores):
    """A service every five minutes from *start*, rated *scores* in order, 20 s after each done."""
    for when, score in zip(every(start, 300, len(scores)), scores):
        s.rating((datetime.strptime(when, "%H:%M:%S") + timedelta(seconds=20)).strftime("%H:%M:%S"),
                 s.done(when), score)


@pytest.mark.parametrize("own_usual, expected", [
    ([5, 3] * 10, [("top_run", "w01", "c01", 12)]),     # 12 fives in a row at a usual share of one half
    ([5, 5, 5, 3] * 5, []),                             # ... at three quarters: 0.75**12 is not improbable
])
def test_a_run_of_top_scores_far_above_the_usual_share(own_usual, expected):
    a, other = script(), script("win-02")
    rated_run(a, "08:30:00", own_usual)
    rated_run(a, "14:30:00", [5] * 12)
    rated_run(other, "08:30:00", [5, 4] * 10)
    assert flagged(a, other) == expected


def test_a_run_with_no_other_ratings_in_the_hall_is_not_judged():
    a = script()
    rated_run(a, "14:30:00", [5] * 12)
    assert flagged(a) == []


@pytest.mark.parametrize("rated_at, extra, expected", [
    ("19:00:00", "", [("off_hours", "w01", "c01", 1)]),
    ("17:59:00", "", []),                               # within half an hour of the afternoon's end
    ("19:00:00", EVENING_DUTY, []),                     # during approved overtime at this window
])
def test_ratings_outside_session_hours(rated_at, extra, expected):
    s = script()
    done = s.done((datetime.strptime(rated_at, "%H:%M:%S") - timedelta(seconds=20)).strftime("%H:%M:%S"))
    s.rating(rated_at, done, 5)
    assert flagged(s, config=hall_config(extra)) == expected


@pytest.mark.parametrize("dones, rated, expected", [
    (10, 0, [("keypad_unused", "w01", None, 10)]),
    (9, 0, []),
    (10, 1, []),
])
def test_a_keypad_that_stops_being_used(dones, rated, expected):
    s = script()
    for n, when in enumerate(every("09:00:00", 600, dones)):
        done = s.done(when)
        if n < rated:
            s.rating(when[:-2] + "20", done, 4)
    assert flagged(s) == expected


@pytest.mark.parametrize("keys, expected", [(30, [("stray_flood", "w01", None, 30)]), (29, [])])
def test_a_keypad_flooding_stray_keys(keys, expected):
    s = script()
    for when in every("10:00:00", 7, keys):
        s.stray_key(when, 5)
    assert flagged(s) == expected


def test_the_evidence_names_the_facts_and_a_replay_gives_the_same_signals():
    s = script()
    for minute in ("09:00", "09:10", "09:20"):
        s.rating(f"{minute}:01", s.done(f"{minute}:00"), 5)
    config = hall_config()
    first, again = (signals(config, r["services"], r["stray_keys"]) for r in (judge(config, s), judge(config, s)))
    assert first == again
    [quick] = first
    assert [e["done"] for e in quick.evidence] == ["2026-11-24T09:00:00+08:00", "2026-11-24T09:10:00+08:00",
                                                   "2026-11-24T09:20:00+08:00"]
    assert {e["after_s"] for e in quick.evidence} == {1.0} and quick.measure == {"min_read_s": 2}


def test_the_thresholds_are_the_halls_and_round_trip_through_its_config():
    config = hall_config("\n[integrity]\nmin_read_s = 3\ntop_run_odds = 0.0001\n")
    assert (config.integrity.min_read_s, config.integrity.top_run_odds, config.integrity.min_service_s) == (3, 0.0001, 30)
    assert config_to_dict(config)["integrity"] == {"min_read_s": 3, "top_run_odds": 0.0001}
    assert config_from_dict(config_to_dict(config)).integrity == config.integrity
    assert "integrity" not in config_to_dict(hall_config()), "defaults are not written (older terminals read it)"


@pytest.mark.parametrize("line, message", [
    ("min_read_s = -1", "integrity.min_read_s: must be a non-negative integer, got -1"),
    ("top_run_odds = 1", "integrity.top_run_odds: must be a number between 0 and 1, got 1"),
    ("quick = 1", "integrity.quick: unknown key"),
])
def test_bad_thresholds_are_refused_naming_the_key(line, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        hall_config(f"\n[integrity]\n{line}\n")


def bad_ratings(s, start, count):
    """*count* services from *start*, five minutes apart, each rated 1; their keys (window, service, done)."""
    keys = []
    for when in every(start, 300, count):
        done = s.done(when)
        s.rating(when[:-2] + "20", done, 1)
        keys.append(("w01" if s.terminal == "win-01" else "w02", done["seq"], f"2026-11-24T{when}+08:00"))
    return keys


@pytest.mark.parametrize("own_upheld, others_upheld, expected", [
    (3, 1, [("appeals_upheld", "w01", "c01", 3)]),     # 3 of 4 gone against 1 of 4: three times the others' share
    (3, 2, []),                                        # 3 of 4 against 2 of 4: not twice
    (2, 0, []),                                        # two are not yet a pattern
])
def test_a_clerk_whose_bad_ratings_vanish_on_appeal_far_more_than_others(own_upheld, others_upheld, expected):
    a, other = script(), script("win-02")
    own, others = bad_ratings(a, "09:00:00", 4), bad_ratings(other, "09:00:00", 4)
    config = hall_config()
    report = judge(config, a, other)
    upheld = set(own[:own_upheld]) | set(others[:others_upheld])
    found = signals(config, report["services"], report["stray_keys"], upheld=upheld)
    assert [(s.kind, s.window, s.clerk, s.count) for s in found] == expected
