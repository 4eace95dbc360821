"""A window's state now, for the terminal's lamps: who holds the post, who is asked, is it empty.

:func:`window_state` replays today's facts up to *at* with the same machine ``derive`` uses, so the
lamps and the hub's record agree. ``next_change`` says when the state changes by itself (the empty
grace running out, a session starting or ending, a permit starting or ending) so the terminal can
set one timer instead of polling.

:class:`LiveWindow` gives the same states fact by fact: a terminal judging after every press applies
only the new facts to the replay it keeps, so a press costs the same at 17:00 as at 08:30.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .escalation import escalated, escalates_at
from .posts import other, replay
from .spans import split_by_cover
from .time import boot_anchors, time_of


@dataclass(frozen=True)
class WindowState:
    """What the terminal shows: A/B lamp (holder), blinking lamp (waiting), red lamp + buzzer (alarm); the waiting
    lamp blinks faster and the buzzer chirps once the handover has waited too long (``escalated``)."""

    window: str
    at: datetime
    session: str | None
    holder: str | None
    waiting: str | None
    empty_since: datetime | None
    alarm: bool
    signed_in: frozenset
    next_change: datetime | None
    sign_in_due: tuple = ()   # posts whose next press is a sign-in although they hold the post
    waiting_since: datetime | None = None   # when the handover still waiting was requested
    escalated: bool = False                 # it has waited past rules.handover_alert_s (protocol.escalation)

    def presence_on(self, post):
        """The ``on`` a presence press by *post* records now: take/sign in (True) or leave (False)."""
        return self.holder != post or post in self.sign_in_due


def window_state(config, facts, window_id, at, *, trust_wall_clock=False):
    """The state of *window_id* at *at* from its terminal's *facts* (today's are used).

    The terminal passes ``trust_wall_clock=True``: for its own lamps its clock is the only one it has.
    """
    window = config.window(window_id)
    day = at.astimezone(config.tz).date()
    mine = [f for f in facts if f.terminal == window.terminal]
    timed = _timed_on(config, boot_anchors(mine), mine, day, trust_wall_clock)
    return _judge(config, window, at, replay([(t, f) for t, f in timed if t <= at]))


class LiveWindow:
    """:func:`window_state` kept up to date as facts arrive, for a terminal that judges after every press.

    ``state(config, window_id, at)`` equals ``window_state(config, self.facts, window_id, at,
    trust_wall_clock=...)``. Facts that come after the last one applied (in (time, seq) order) and no
    later than *at* are applied to the kept replay; anything else replays all facts again: a fact older
    than one applied, a clock anchor of the window's terminal (it re-times its boot), another day,
    window or config, an *at* before the last applied fact. ``rebuilds`` counts those full replays.
    Nothing but the facts is kept: after a restart a new LiveWindow over the journal's facts rebuilds.
    """

    def __init__(self, facts=(), *, trust_wall_clock=False):
        self.facts = list(facts)
        self.trust_wall_clock = trust_wall_clock
        self.rebuilds = 0
        self._basis = None        # (config, window id, day) of the kept replay
        self._seen = 0            # how many of self.facts the kept replay has looked at
        self._anchors = {}
        self._replayed = None
        self._last = None         # (time, seq) of the last fact applied
        self._later = []          # [(time, fact)] of the day after the last *at*, in (time, seq) order

    def add(self, fact):
        """Take one more fact (any kind, any terminal, any time)."""
        self.facts.append(fact)

    def state(self, config, window_id, at):
        """The :class:`WindowState` of *window_id* at *at* from the facts taken so far."""
        window = config.window(window_id)
        day = at.astimezone(config.tz).date()
        if not (self._same_basis(config, window_id, day) and self._catch_up(config, window, day, at)):
            self._rebuild(config, window, day, at)
        return _judge(config, window, at, self._replayed)

    def _same_basis(self, config, window_id, day):
        if self._basis is None:
            return False
        kept, kept_window, kept_day = self._basis
        return kept_window == window_id and kept_day == day and (kept is config or kept == config)

    def _catch_up(self, config, window, day, at):
        """Apply the facts taken since, if they follow the kept replay in time order; False if they don't."""
        if self._last is not None and at < self._last[0]:
            return False
        mine = [f for f in self.facts[self._seen:] if f.terminal == window.terminal]
        if any(f.kind == "clock" for f in mine):
            return False
        later = sorted(self._later + _timed_on(config, self._anchors, mine, day, self.trust_wall_clock),
                       key=_order)
        due = 0
        while due < len(later) and later[due][0] <= at:
            due += 1
        if due and self._last is not None and _order(later[0]) <= self._last:
            return False
        for t, fact in later[:due]:
            self._replayed.apply(t, fact)
        if due:
            self._last = _order(later[due - 1])
        self._later, self._seen = later[due:], len(self.facts)
        return True

    def _rebuild(self, config, window, day, at):
        self.rebuilds += 1
        mine = [f for f in self.facts if f.terminal == window.terminal]
        self._anchors = boot_anchors(mine)
        timed = sorted(_timed_on(config, self._anchors, mine, day, self.trust_wall_clock), key=_order)
        due = [tf for tf in timed if tf[0] <= at]
        self._replayed = replay(due)
        self._last = _order(due[-1]) if due else None
        self._later, self._seen = timed[len(due):], len(self.facts)
        self._basis = (config, window.id, day)


def _order(timed_fact):
    """The replay's order of a (time, fact): time, then seq."""
    return timed_fact[0], timed_fact[1].seq


def _timed_on(config, anchors, facts, day, trust_wall_clock):
    """[(time, fact)] of *facts* (in their order) whose time is known and falls on local *day*."""
    tz = config.tz
    timed = []
    for fact in facts:
        t = time_of(config, anchors, fact)
        if t is None and trust_wall_clock:
            t = fact.time or fact.wall
        if t is not None and t.astimezone(tz).date() == day:
            timed.append((t, fact))
    return timed


def _judge(config, window, at, replayed):
    """The state at *at* of *window* whose day up to *at* replayed to *replayed*."""
    tz = config.tz
    day = at.astimezone(tz).date()
    occurrences = config.sessions_of(window.id, day)
    day_start = datetime.combine(day, time(0), tz)
    current = next(((s, b, e) for s, b, e in occurrences if b <= at < e), None)
    upcoming = [(i, o) for i, o in enumerate(occurrences) if o[2] > at]
    opens = None
    if upcoming:
        i, (_, start, _) = upcoming[0]
        opens = occurrences[i - 1][2] if i else day_start
    signed_in = frozenset(p for p in "AB" if opens is not None and replayed.last_on[p] is not None
                          and replayed.last_on[p] >= opens)
    due = ()
    holder = replayed.holder
    if holder is not None and upcoming and replayed.holder_pressed < opens and at >= upcoming[0][1][1] - \
            timedelta(minutes=config.rules.sign_in_opens_min):
        due = (holder,)
    permits = config.permits_for(window.id)
    grace = timedelta(seconds=config.rules.empty_grace_s)
    empty_since, alarm, changes = None, False, []
    if current is not None and holder is None:
        empty_since = max(current[1], replayed.last_release or current[1])
        pieces = split_by_cover(empty_since, at, permits) if empty_since < at else []
        if pieces and not pieces[-1][2]:
            alarm = at - pieces[-1][0] > grace
            if not alarm:
                changes.append(pieces[-1][0] + grace + timedelta(milliseconds=1))
        elif not pieces:
            changes.append(empty_since + grace + timedelta(milliseconds=1))
    for _, start, end in occurrences:
        changes += [start, end, start - timedelta(minutes=config.rules.sign_in_opens_min)]
    for start, end in permits:
        changes += [start, end]
    changes.append(day_start + timedelta(days=1))
    waiting = other(replayed.pending.from_post) if replayed.pending is not None else None
    waiting_since = replayed.pending.requested if replayed.pending is not None else None
    if waiting_since is not None:
        changes.append(escalates_at(waiting_since, config.rules) + timedelta(milliseconds=1))
    return WindowState(window.id, at, current[0].name if current else None, holder, waiting, empty_since,
                       alarm, signed_in, min(c for c in changes if c > at), due, waiting_since,
                       current is not None and escalated(waiting_since, at, config.rules))   # in session only
