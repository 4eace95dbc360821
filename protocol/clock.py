"""The clock seam: what a terminal reads time through, and the simulated time every HallPost process can share.

The environment variable ``HALLPOST_CLOCK`` chooses a process's clock, as ``GPIOZERO_PIN_FACTORY`` chooses
its pins: unset or ``system`` for the machine's own time; ``scaled:START@SPEEDx@EPOCH`` for simulated time
that is START (ISO, with its offset) at real Unix time EPOCH and runs SPEED times faster (``@EPOCH`` left
out: when the process reads the variable). Every process given the same value shares one timeline, so a
terminal restarted mid-day rejoins it. Nothing here reads a clock: the real time comes in as an argument.
"""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Protocol

CLOCK_VARIABLE = "HALLPOST_CLOCK"
SYSTEM = "system"
SCALED = "scaled:"


class ClockSpecError(ValueError):
    """``HALLPOST_CLOCK`` does not name a clock; the message quotes the value and what was expected."""


class Clock(Protocol):
    """What a terminal reads time through (its real clock and fakes live beside the terminal)."""

    def monotonic_ms(self) -> int:
        """Milliseconds since this boot."""

    def wall(self) -> datetime:
        """The wall time, aware (possibly wrong: a Pi has no real-time clock)."""

    def real_seconds(self, seconds: float) -> float:
        """How long to really wait for *seconds* of this clock's time."""

    def on_advance(self, wake: Callable[[], None]) -> None:
        """Call *wake()* whenever this clock jumps forward by itself (a manual clock); else never."""


@dataclass(frozen=True)
class Scale:
    """Simulated time: *start* at real Unix time *epoch*, running *speed* times faster."""

    start: datetime
    speed: float
    epoch: float

    def __post_init__(self):
        if self.start.tzinfo is None:
            raise ValueError(f"start: must carry a time zone, got {self.start.isoformat()}")
        if not (math.isfinite(self.speed) and self.speed > 0):
            raise ValueError(f"speed: must be a positive number, got {self.speed}")

    def at(self, real):
        """The simulated time at real Unix time *real* (in the start's time zone)."""
        return self.start + timedelta(seconds=(real - self.epoch) * self.speed)

    def elapsed_ms(self, real):
        """Simulated milliseconds from the start to real Unix time *real*."""
        return int((real - self.epoch) * self.speed * 1000)

    def real_at(self, moment):
        """The real Unix time at which the simulation reaches *moment*."""
        return self.epoch + (moment - self.start).total_seconds() / self.speed

    def real_seconds(self, seconds):
        """Real seconds that *seconds* of simulated time take."""
        return seconds / self.speed

    def spec(self):
        """The ``HALLPOST_CLOCK`` value that puts a process on this timeline."""
        return f"{SCALED}{self.start.isoformat()}@{self.speed!r}x@{self.epoch!r}"


def parse_clock(text, real_now):
    """The Scale that ``HALLPOST_CLOCK`` *text* names; None for the system clock (unset, empty or ``system``).

    *real_now* (real Unix time) is the epoch when the value gives none.
    """
    text = (text or "").strip()
    if text in ("", SYSTEM):
        return None
    expected = f"{SYSTEM!r} or 'scaled:START@SPEEDx[@EPOCH]', e.g. 'scaled:2026-11-24T08:00:00+08:00@60x'"
    if not text.startswith(SCALED):
        raise ClockSpecError(f"{CLOCK_VARIABLE}: {text!r} is not {expected}")
    parts = text[len(SCALED):].split("@")
    if len(parts) not in (2, 3) or not parts[1].endswith("x"):
        raise ClockSpecError(f"{CLOCK_VARIABLE}: {text!r} is not {expected}")
    try:
        start, speed = datetime.fromisoformat(parts[0]), float(parts[1][:-1])
        epoch = float(parts[2]) if len(parts) == 3 else real_now
        return Scale(start, speed, epoch)
    except ValueError as exc:
        raise ClockSpecError(f"{CLOCK_VARIABLE}: {text!r}: {exc}") from None
