"""Properties of derive: order and duplicates do not matter; days and halves merge to the whole."""
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol.facts import parse_fact
from protocol.report import dumps
from protocol.rules import derive

from .support import DAY, hall_config, script

HALL = hall_config()
MINUTES = st.integers(min_value=7 * 60, max_value=18 * 60)


@st.composite
def window_days(draw, day=DAY, terminals=("win-01", "win-02")):
    """Random but realistic presses, handovers, services and ratings of a few terminals over one day."""
    scripts = []
    for terminal in terminals:
        s = script(terminal, day=day)
        for minute in sorted(draw(st.lists(MINUTES, max_size=14))):
            when = f"{minute // 60:02d}:{minute % 60:02d}:{draw(st.integers(0, 59)):02d}"
            action = draw(st.sampled_from(["on", "off", "handover", "done", "rate", "miss", "stray"]))
            post = draw(st.sampled_from("AB"))
            if action in ("on", "off"):
                s.presence(when, post, action == "on")
            elif action == "handover":
                s.handover(when, post, draw(st.sampled_from([None, "meeting", "break"])))
            elif action == "done":
                s.done(when, post)
            elif action in ("rate", "miss") and any(f["kind"] == "done" for f in s.facts):
                service = [f for f in s.facts if f["kind"] == "done"][-1]
                if action == "rate":
                    s.rating(when, service, draw(st.integers(1, 5)))
                else:
                    s.rating_missed(when, service)
            elif action == "stray":
                s.stray_key(when, draw(st.integers(1, 5)))
        scripts.append(s)
    return [f for s in scripts for f in s.facts]


def as_of(day, hhmm="23:59"):
    return script(day=day).at(hhmm)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(window_days(), st.randoms(use_true_random=False), st.data())
def test_any_permutation_with_any_duplicates_derives_the_same(facts, rnd, data):
    whole = dumps(derive(HALL, [parse_fact(f) for f in facts], as_of=as_of(DAY), since=DAY))
    shuffled = facts + [facts[i] for i in data.draw(st.lists(st.integers(0, len(facts) - 1), max_size=10))]
    rnd.shuffle(shuffled)
    assert dumps(derive(HALL, [parse_fact(f) for f in shuffled], as_of=as_of(DAY), since=DAY)) == whole


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(window_days(day=DAY), window_days(day=DAY + timedelta(days=1)))
def test_two_days_derived_apart_and_merged_equal_the_two_derived_together(first, second):
    second = _renumber(second, start=1000)
    end = as_of(DAY + timedelta(days=1))
    whole = derive(HALL, [parse_fact(f) for f in first + second], as_of=end, since=DAY)
    one = derive(HALL, [parse_fact(f) for f in first], as_of=end, since=DAY)
    two = derive(HALL, [parse_fact(f) for f in second], as_of=end, since=DAY + timedelta(days=1))
    for table in ("attendance", "violations", "empty_intervals", "handovers", "services"):
        merged = [r for r in one[table] if _day(r) == DAY] + two[table]
        assert merged == whole[table], table


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(window_days())
def test_morning_derived_at_midday_equals_the_whole_days_morning(facts):
    """Later facts never change a closed half: derive the morning at 13:45, then the whole day."""
    midday = as_of(DAY, "13:45")
    parsed = [parse_fact(f) for f in facts]
    morning = derive(HALL, parsed, as_of=midday, since=DAY)
    whole = derive(HALL, parsed, as_of=as_of(DAY), since=DAY)
    for table, key in (("attendance", "sign_in"), ("empty_intervals", "end"), ("services", "done")):
        closed = [_strip(r) for r in morning[table] if not r["open"]]
        assert closed == [_strip(r) for r in whole[table] if _ends_by(r, table, midday)], table


def _renumber(facts, start):
    return [dict(f, seq=f["seq"] + start) for f in facts]


def _day(row):
    for key in ("date", "start", "requested", "done"):
        if row.get(key):
            return date.fromisoformat(row[key][:10])
    raise AssertionError(row)


def _strip(row):
    return {k: v for k, v in row.items() if k not in ("open", "provisional")}


def _ends_by(row, table, midday):
    """True for rows of the whole day that were already closed at midday."""
    from datetime import datetime
    if table == "attendance":
        return row["session"] == "morning"
    if table == "services":
        return datetime.fromisoformat(row["done"]) + timedelta(seconds=HALL.rules.rating_window_s + 5) <= midday
    return datetime.fromisoformat(row["end"]) <= midday

