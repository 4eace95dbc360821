"""Local judgement: today's facts of this terminal, timed by its own clock, and the window state they give.

How the terminal times its own facts (it trusts its own clock for its own lamps):
- a fact of a boot that has clock anchors (``clock`` facts recorded from hub answers) gets the time
  ``protocol.time`` gives it: its ``mono_ms`` shifted by the offset of the nearest anchor of that boot, so
  the lamps agree with what the hub will judge;
- a fact of a boot with no anchor yet falls back to its ``wall`` time (systemd-timesyncd keeps the Pi's
  clock roughly right across reboots). The hub will treat such facts as uncertain until an anchor arrives,
  and the terminal reports ``clock_uncertain`` meanwhile.
"Now" is timed the same way: the current boot's latest anchor + ``monotonic_ms()``, else ``wall()``.
The timed facts (with ``time`` set) go to a ``protocol.window_state.LiveWindow``, which gives what
``window_state`` would over them but applies only the facts new since the last judgement, so a press
costs the same whatever the day already holds. It replays them all again when they are re-timed (a new
anchor), at midnight, or after a restart (a new LocalJudgement loads the journal). Only the kinds it
replays (:data:`LAMP_KINDS`) are kept, so a day of services and ratings does not slow down a press (the
test ``test_window_state_needs_only_the_lamp_kinds`` checks the engine still agrees).
"""
from dataclasses import replace
from datetime import datetime, time, timedelta

from protocol.facts import parse_fact
from protocol.time import boot_anchors, time_of
from protocol.window_state import LiveWindow


LAMP_KINDS = frozenset({"presence", "handover"})


class _OwnClockTrusted:
    """Stands for the hall config in ``time_of``: for its own lamps the terminal trusts its wall clock."""

    @staticmethod
    def trusts_wall_clock(terminal):
        return True


class LocalJudgement:
    """The facts the lamps depend on (today's, timed) and the clock anchors of this terminal's boots."""

    def __init__(self, *, terminal, boot):
        self.terminal, self.boot = terminal, boot
        self._untimed = []
        self._live = LiveWindow()          # its facts: the _untimed ones, timed
        self._clock_facts = []
        self._anchors = {}
        self._day_start = None

    def add(self, stored):
        """Take one stored fact (a dict from the journal); return it as a Fact."""
        fact = parse_fact(stored)
        if fact.kind == "clock":
            self._clock_facts.append(fact)
            self._anchors = boot_anchors(self._clock_facts)
            self._live = LiveWindow(self._with_time(f) for f in self._untimed)
        elif fact.kind in LAMP_KINDS:
            self._untimed.append(fact)
            self._live.add(self._with_time(fact))
        return fact

    def load(self, stored_facts, *, since):
        """Take the journal's facts at start, skipping those whose wall time is before *since* (clock
        anchors are all kept): a long backlog need not sit in memory to light today's lamps."""
        for stored in stored_facts:
            if stored["kind"] == "clock" or datetime.fromisoformat(stored["wall"]) >= since:
                self.add(stored)

    def anchored(self):
        """True once this boot has a clock anchor from the hub."""
        return (self.terminal, self.boot) in self._anchors

    def time_at(self, mono_ms, wall):
        """The local time of an instant of this boot given by its monotonic and wall readings."""
        pairs = self._anchors.get((self.terminal, self.boot))
        if pairs:
            return pairs[-1][1] + timedelta(milliseconds=mono_ms)
        return wall

    def now(self, clock):
        """The terminal's idea of the current time."""
        return self.time_at(clock.monotonic_ms(), clock.wall())

    def state(self, config, window_id, at):
        """The rules' WindowState of *window_id* at *at*, from today's facts."""
        self._forget_before(datetime.combine(at.astimezone(config.tz).date(), time(0), config.tz))
        return self._live.state(config, window_id, at)

    def keep_from_seq(self, next_seq):
        """The lowest seq the journal must keep for a rebuild: today's first lamp fact, this boot's last anchor."""
        seqs = [f.seq for f in self._untimed]
        own = [f.seq for f in self._clock_facts if f.boot == self.boot]
        if own:
            seqs.append(max(own))
        return min(seqs, default=next_seq)

    def _with_time(self, fact):
        return replace(fact, time=time_of(_OwnClockTrusted, self._anchors, fact))

    def _forget_before(self, day_start):
        """Drop facts from before local midnight of the day being judged (once per day)."""
        if self._day_start == day_start:
            return
        self._day_start = day_start
        kept = [(u, t) for u, t in zip(self._untimed, self._live.facts) if t.time >= day_start]
        self._untimed = [u for u, _ in kept]
        self._live = LiveWindow(t for _, t in kept)
        latest = {f.boot: f for f in self._clock_facts}
        self._clock_facts = [f for f in self._clock_facts
                             if latest[f.boot] is f or time_of(_OwnClockTrusted, self._anchors, f) >= day_start]
        self._anchors = boot_anchors(self._clock_facts)
