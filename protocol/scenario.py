"""Scripted facts for one terminal's day: tests, the example hall and the simulator's ground truth.

``TerminalScript("win-03", date(2026, 11, 24), tz).presence("08:20", "A", True)`` appends the fact a
real terminal would have journaled at that local time, numbered, on one boot with a clock anchor.
"""
from datetime import datetime, time, timedelta


class TerminalScript:
    """Builds the facts of one terminal: one boot, monotonic time from the boot, optional wall skew."""

    def __init__(self, terminal, day, tz, *, boot=None, booted="07:00", wall_skew_s=0, anchor=True,
                 first_seq=1):
        self.terminal, self.day, self.tz = terminal, day, tz
        self.boot = boot or f"{terminal}-{day.isoformat()}"
        self.booted = self.at(booted)
        self.wall_skew = timedelta(seconds=wall_skew_s)
        self.facts = []
        self.seq = first_seq - 1
        self.add(booted, "boot", software="hallpost-test")
        if anchor:
            self.clock(booted)

    def at(self, when):
        """The aware local time of ``"HH:MM"`` or ``"HH:MM:SS"`` (or a datetime) on this day."""
        if isinstance(when, datetime):
            return when
        parts = [int(p) for p in when.split(":")]
        return datetime.combine(self.day, time(*parts), self.tz)

    def add(self, when, kind, **fields):
        """Append a fact of *kind* at local time *when*; return it."""
        moment = self.at(when)
        self.seq += 1
        fact = {"terminal": self.terminal, "seq": self.seq, "boot": self.boot,
                "mono_ms": int((moment - self.booted).total_seconds() * 1000),
                "wall": (moment + self.wall_skew).isoformat(), "kind": kind, **fields}
        self.facts.append(fact)
        return fact

    def clock(self, when):
        """A clock anchor: at *when* the hub's (true) time was *when*."""
        return self.add(when, "clock", hub_time=self.at(when).isoformat())

    def presence(self, when, post, on=True):
        return self.add(when, "presence", post=post, on=on)

    def handover(self, when, post, reason=None):
        return self.add(when, "handover", post=post, reason=reason)

    def done(self, when, post="A"):
        return self.add(when, "done", post=post)

    def rating(self, when, service, score):
        return self.add(when, "rating", service=service["seq"] if isinstance(service, dict) else service,
                        score=score)

    def rating_missed(self, when, service):
        return self.add(when, "rating_missed", service=service["seq"] if isinstance(service, dict) else service)

    def stray_key(self, when, key):
        return self.add(when, "stray_key", key=key)

    def keypad(self, when, attached, firmware="hallpost-keypad 1.0"):
        return self.add(when, "keypad", attached=attached, firmware=firmware if attached else None)
