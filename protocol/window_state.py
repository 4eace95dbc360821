"""A window's state now, for the terminal's lamps: who holds the post, who is asked, is it empty.

:func:`window_state` replays today's facts up to *at* with the same machine ``derive`` uses, so the
lamps and the hub's record agree. ``next_change`` says when the state changes by itself (the empty
grace running out, a session starting or ending, a permit starting or ending) so the terminal can
set one timer instead of polling.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .posts import other, replay
from .spans import split_by_cover
from .time import boot_anchors, time_of


@dataclass(frozen=True)
class WindowState:
    """What the terminal shows: A/B lamp (holder), blinking lamp (waiting), red lamp + buzzer (alarm)."""

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

    def presence_on(self, post):
        """The ``on`` a presence press by *post* records now: take/sign in (True) or leave (False)."""
        return self.holder != post or post in self.sign_in_due


def window_state(config, facts, window_id, at, *, trust_wall_clock=False):
    """The state of *window_id* at *at* from its terminal's *facts* (today's are used).

    The terminal passes ``trust_wall_clock=True``: for its own lamps its clock is the only one it has.
    """
    window = config.window(window_id)
    tz = config.tz
    day = at.astimezone(tz).date()
    mine = [f for f in facts if f.terminal == window.terminal]
    anchors = boot_anchors(mine)
    timed = []
    for fact in mine:
        t = time_of(config, anchors, fact)
        if t is None and trust_wall_clock:
            t = fact.time or fact.wall
        if t is not None and t <= at and t.astimezone(tz).date() == day:
            timed.append((t, fact))
    replayed = replay(timed)
    occurrences = config.sessions_on(day)
    day_start = datetime.combine(day, time(0), tz)
    current = next(((s, b, e) for s, b, e in occurrences if b <= at < e), None)
    upcoming = [(i, o) for i, o in enumerate(occurrences) if o[2] > at]
    opens = None
    if upcoming:
        i, (_, start, _) = upcoming[0]
        opens = occurrences[i - 1][2] if i else day_start
    signed_in = frozenset(p for p in "AB" if opens is not None and any(
        on and t >= opens for t, on in replayed.presses[p]))
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
    return WindowState(window.id, at, current[0].name if current else None, holder, waiting, empty_since,
                       alarm, signed_in, min(c for c in changes if c > at), due)
