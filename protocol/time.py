"""Fact time: when a fact happened, from the clock anchors of its boot.

A Pi has no real-time clock, so a fact's wall time may be wrong. Each successful sync records a
``clock`` fact (boot, mono_ms, hub_time); a fact's time is its ``mono_ms`` shifted by the offset of the
anchor of its own boot nearest to it. A boot with no anchor falls back to the wall clock only when the
config trusts that terminal's clock; otherwise its facts are *uncertain* until an anchor arrives.
Fact times are whole milliseconds (the resolution of ``mono_ms``), so every side that resolves them —
terminal, hub, ``hallpost derive`` — prints and compares the very same instants.
"""
from bisect import bisect_left
from datetime import timedelta

from .facts import parse_time


def anchor_of(clock_fact):
    """A clock fact as an anchor of its boot: (mono_ms, offset), where a fact's time is offset + its mono_ms."""
    hub_time = parse_time(clock_fact.data["hub_time"], "hub_time")
    return clock_fact.mono_ms, hub_time - timedelta(milliseconds=clock_fact.mono_ms)


def boot_anchors(facts):
    """Map (terminal, boot) to its anchors as a sorted list of (mono_ms, offset) pairs."""
    anchors = {}
    for fact in facts:
        if fact.kind == "clock":
            anchors.setdefault((fact.terminal, fact.boot), []).append(anchor_of(fact))
    for pairs in anchors.values():
        pairs.sort()
    return anchors


def _nearest(pairs, mono_ms):
    """The offset of the anchor nearest to *mono_ms* (the earlier one on a tie)."""
    i = bisect_left(pairs, (mono_ms,))      # pairs[i - 1] is before mono_ms, pairs[i] at or after it
    if i == len(pairs) or (i > 0 and mono_ms - pairs[i - 1][0] <= pairs[i][0] - mono_ms):
        return pairs[i - 1][1]
    return pairs[i][1]


def resolve_times(config, facts):
    """Split *facts* into (timed, uncertain): timed is [(time, fact)], uncertain is [(fact, why)]."""
    anchors = boot_anchors(facts)
    timed, uncertain = [], []
    for fact in facts:
        when = time_of(config, anchors, fact)
        if when is None:
            uncertain.append((fact, f"boot {fact.boot} of {fact.terminal} has no clock anchor yet "
                                    "and its wall clock is not trusted"))
        else:
            timed.append((when, fact))
    return timed, uncertain


def time_of(config, anchors, fact):
    """The time of *fact* given the *anchors* of :func:`boot_anchors`, or None when uncertain."""
    pairs = anchors.get((fact.terminal, fact.boot))
    if pairs:
        return whole_ms(_nearest(pairs, fact.mono_ms) + timedelta(milliseconds=fact.mono_ms))
    return unanchored_time(config, fact)


def unanchored_time(config, fact):
    """The time of *fact* of a boot with no clock anchor: its corrected ``time``, else its wall clock when the
    config trusts that terminal's clock, else None (uncertain)."""
    if fact.time is not None:
        return whole_ms(fact.time)
    return whole_ms(fact.wall) if config.trusts_wall_clock(fact.terminal) else None


def anchored_us(pairs, mono_ms):
    """:func:`time_of` of a fact at *mono_ms* of a boot with anchors, as integer Unix µs: *pairs* are the boot's
    anchors as :func:`boot_anchors` sorts them, each offset given as integer Unix µs. The same instant, without
    building a datetime (a store times every fact of every push)."""
    us = _nearest(pairs, mono_ms) + 1000 * mono_ms
    return us - us % 1000


def whole_ms(moment):
    """*moment* truncated to whole milliseconds."""
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)
