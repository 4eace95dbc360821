"""LiveWindow: the kept, fact-by-fact window state equals the full window_state replay at every step."""
from dataclasses import replace
from datetime import datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol.facts import parse_fact
from protocol.posts import KINDS, replay
from protocol.window_state import LiveWindow, window_state

from .support import DAY, hall_config

TZ = hall_config().tz
MIDNIGHT = datetime.combine(DAY, time(0), TZ)
BOOTED = MIDNIGHT - timedelta(days=1)          # both boots began the day before: mono_ms stays positive
FIRST, LAST = 7 * 3600, (24 + 13) * 3600        # seconds after the test day's midnight: into the next day
PERMIT = """
[[permits]]
window = "w01"
from = "2026-11-24T10:00+08:00"
to = "2026-11-24T10:20+08:00"
"""
CONFIGS = (hall_config(), hall_config(), hall_config(PERMIT), hall_config("[rules]\nempty_grace_s = 300\n"))


def fact(seq, moment, kind, *, terminal="win-01", boot="b1", wall_skew_s=0, **data):
    """A parsed fact of *terminal* that happened at *moment* (its wall clock off by *wall_skew_s*)."""
    return parse_fact({"terminal": terminal, "seq": seq, "boot": boot,
                       "mono_ms": int((moment - BOOTED).total_seconds() * 1000),
                       "wall": (moment + timedelta(seconds=wall_skew_s)).isoformat(), "kind": kind, **data})


def moment_after(draw, previous):
    """Mostly a little after *previous* (time order), sometimes anywhere in the two days (out of order)."""
    if draw(st.integers(0, 9)) < 7:
        return previous + timedelta(seconds=draw(st.integers(0, 900)), milliseconds=draw(st.integers(0, 999)))
    return MIDNIGHT + timedelta(seconds=draw(st.integers(FIRST, LAST)))


def draw_fact(draw, seq, moment, facts):
    """A random fact at *moment*: presses and handovers mostly, also anchors, other boots and terminals."""
    if facts and draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from(facts))                                  # a duplicate
    terminal = draw(st.sampled_from(["win-01"] * 5 + ["win-02"]))
    boot = draw(st.sampled_from(["b1", "b1", "b1", "b2"]))
    kind = draw(st.sampled_from(["presence"] * 6 + ["handover"] * 2 + ["done", "clock", "boot"]))
    data = {"presence": lambda: {"post": draw(st.sampled_from("AB")), "on": draw(st.booleans())},
            "handover": lambda: {"post": draw(st.sampled_from("AB")), "reason": None},
            "done": lambda: {"post": draw(st.sampled_from("AB"))},
            "clock": lambda: {"hub_time": (moment + timedelta(seconds=draw(st.sampled_from([0, 30, -45])))
                                           ).isoformat()},
            "boot": lambda: {"software": "hallpost-test"}}[kind]()
    made = fact(seq, moment, kind, terminal=terminal, boot=boot, wall_skew_s=90 if boot == "b2" else 0, **data)
    if draw(st.integers(0, 9)) == 0:                 # already timed, as the terminal hands its own facts over
        made = replace(made, time=moment + timedelta(seconds=draw(st.integers(-60, 60))))
    return made


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.booleans())
def test_live_state_equals_the_full_replay_at_every_step(data, trust_wall_clock):
    draw = data.draw
    live, facts = LiveWindow(trust_wall_clock=trust_wall_clock), []
    config = CONFIGS[0]
    fact_at = at = MIDNIGHT + timedelta(hours=8)
    for seq in range(1, draw(st.integers(1, 60)) + 1):
        fact_at = moment_after(draw, fact_at)
        new = draw_fact(draw, seq, fact_at, facts)
        facts.append(new)
        live.add(new)
        if draw(st.integers(0, 14)) == 0:
            config = draw(st.sampled_from(CONFIGS))
        for _ in range(draw(st.integers(0, 2))):
            at = moment_after(draw, max(at, fact_at) if draw(st.booleans()) else at)
            assert live.state(config, "w01", at) == window_state(config, facts, "w01", at,
                                                                 trust_wall_clock=trust_wall_clock), (seq, at)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.booleans())
def test_only_the_posts_kinds_and_the_clock_anchors_change_a_windows_state(data, trust_wall_clock):
    """The hub's live wall reads only facts of ``posts.KINDS`` (its facts are timed already)."""
    draw, facts = data.draw, []
    fact_at = MIDNIGHT + timedelta(hours=8)
    for seq in range(1, draw(st.integers(1, 40)) + 1):
        fact_at = moment_after(draw, fact_at)
        facts.append(draw_fact(draw, seq, fact_at, facts))
    read = [f for f in facts if f.kind in KINDS or f.kind == "clock"]
    at = moment_after(draw, fact_at)
    assert window_state(CONFIGS[0], read, "w01", at, trust_wall_clock=trust_wall_clock) == \
        window_state(CONFIGS[0], facts, "w01", at, trust_wall_clock=trust_wall_clock)


def test_a_day_of_presses_in_time_order_is_replayed_once():
    live, moment = LiveWindow(), MIDNIGHT + timedelta(hours=8, minutes=20)
    anchored = moment - timedelta(minutes=30)
    facts = [fact(1, anchored, "clock", hub_time=anchored.isoformat())]
    live.add(facts[0])
    for seq in range(2, 400):
        moment += timedelta(seconds=61)
        facts.append(fact(seq, moment, "presence", post="AB"[seq % 3 == 0], on=seq % 2 == 0))
        live.add(facts[-1])
        assert live.state(CONFIGS[0], "w01", moment) == window_state(CONFIGS[0], facts, "w01", moment)
        assert live.state(CONFIGS[0], "w01", moment + timedelta(seconds=30)) == \
            window_state(CONFIGS[0], facts, "w01", moment + timedelta(seconds=30))
    assert live.rebuilds == 1


def _morning():
    """A LiveWindow judged once at 09:00 over A's 08:20 sign-in, and its facts."""
    facts = [fact(1, MIDNIGHT + timedelta(hours=8, minutes=20), "presence", post="A", on=True)]
    live = LiveWindow(facts, trust_wall_clock=True)
    live.state(CONFIGS[0], "w01", MIDNIGHT + timedelta(hours=9))
    return live, facts


def _late_fact(live, facts):
    facts.append(fact(2, MIDNIGHT + timedelta(hours=8, minutes=10), "presence", post="B", on=True))
    live.add(facts[-1])
    return CONFIGS[0], MIDNIGHT + timedelta(hours=9, minutes=1)


def _anchor(live, facts):
    moment = MIDNIGHT + timedelta(hours=9, minutes=1)
    facts.append(fact(2, moment, "clock", hub_time=(moment + timedelta(minutes=50)).isoformat()))
    live.add(facts[-1])
    return CONFIGS[0], moment


def _next_day(live, facts):
    return CONFIGS[0], MIDNIGHT + timedelta(days=1, hours=9)


def _new_config(live, facts):
    return CONFIGS[2], MIDNIGHT + timedelta(hours=9, minutes=1)


def _earlier_than_applied(live, facts):
    return CONFIGS[0], MIDNIGHT + timedelta(hours=8, minutes=19)


def test_each_break_in_time_order_replays_everything_again():
    for happens in (_late_fact, _anchor, _next_day, _new_config, _earlier_than_applied):
        live, facts = _morning()
        config, at = happens(live, facts)
        assert live.state(config, "w01", at) == window_state(config, facts, "w01", at, trust_wall_clock=True)
        assert live.rebuilds == 2, happens.__name__


def test_an_equal_config_and_facts_of_other_terminals_keep_the_replay():
    live, facts = _morning()
    facts.append(fact(2, MIDNIGHT + timedelta(hours=8, minutes=10), "clock", terminal="win-02",
                      hub_time=MIDNIGHT.isoformat()))
    live.add(facts[-1])
    at = MIDNIGHT + timedelta(hours=9, minutes=1)
    assert live.state(CONFIGS[1], "w01", at) == window_state(CONFIGS[1], facts, "w01", at, trust_wall_clock=True)
    assert live.rebuilds == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(FIRST, LAST), st.sampled_from("AB"), st.booleans()), max_size=40))
def test_the_replay_keeps_each_posts_latest_on_press(presses):
    """signed_in reads ``last_on``: it must be the latest of the post's on-presses, in any fact order."""
    timed = []
    for seq, (second, post, on) in enumerate(presses, 1):
        moment = MIDNIGHT + timedelta(seconds=second)
        timed.append((moment, fact(seq, moment, "presence", post=post, on=on)))
    replayed = replay(timed)
    for post in "AB":
        assert replayed.last_on[post] == max((t for t, on in replayed.presses[post] if on), default=None)
