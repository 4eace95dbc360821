"""The terminal's clocks side by side (the seam is :class:`protocol.clock.Clock`): the system's, and its fakes.

``HALLPOST_CLOCK`` chooses (:func:`clock_from_environment`): the system clock, or the hall simulator's
scaled one; tests step a :class:`ManualClock`. The runtime never reads ``time.time()`` itself.
"""
import os
import threading
import time
from datetime import datetime, timedelta, timezone

from protocol.clock import CLOCK_VARIABLE, Scale, parse_clock

BOOT_ID_PATH = "/proc/sys/kernel/random/boot_id"
BOOT_ID_VARIABLE = "HALLPOST_BOOT_ID"     # a pretend boot id (the simulator: several terminals on one machine)


def read_boot_id(path=BOOT_ID_PATH, environ=os.environ):
    """This boot's id: ``HALLPOST_BOOT_ID`` if set, else the kernel's random boot id (dashes removed)."""
    if environ.get(BOOT_ID_VARIABLE):
        return environ[BOOT_ID_VARIABLE]
    with open(path, encoding="ascii") as f:
        return f.read().strip().replace("-", "")


def clock_from_environment(environ=os.environ):
    """The clock ``HALLPOST_CLOCK`` names: the system clock unless it names a scaled one (ClockSpecError)."""
    scale = parse_clock(environ.get(CLOCK_VARIABLE), time.time())
    return SystemClock() if scale is None else ScaledClock(scale.start, speed=scale.speed, epoch=scale.epoch)


class SystemClock:
    """The machine's own clocks: CLOCK_BOOTTIME for monotonic, the system time for wall."""

    def monotonic_ms(self):
        """Milliseconds since boot."""
        return time.clock_gettime_ns(time.CLOCK_BOOTTIME) // 1_000_000

    def wall(self):
        """The system's wall time (UTC, aware)."""
        return datetime.now(timezone.utc)

    def real_seconds(self, seconds):
        """Real seconds to wait for *seconds* of this clock: the same."""
        return seconds

    def on_advance(self, wake):
        """System time never jumps on its own account: *wake* is never called."""


class ManualClock:
    """A clock that moves only when told (``advance``): tests and stepped simulations."""

    def __init__(self, wall, *, monotonic_ms=1_000_000, wait_cap_s=3600):
        self._lock = threading.Lock()
        self._wall, self._mono = wall, monotonic_ms
        self.wait_cap_s = wait_cap_s
        self._listeners = []

    def monotonic_ms(self):
        """Milliseconds since the (pretend) boot."""
        with self._lock:
            return self._mono

    def wall(self):
        """The pretend wall time."""
        with self._lock:
            return self._wall

    def real_seconds(self, seconds):
        """Manual time never passes by itself: wait at most ``wait_cap_s`` (``advance`` wakes listeners)."""
        return min(seconds, self.wait_cap_s)

    def advance(self, seconds=0.0, *, ms=0):
        """Move both clocks forward and wake whoever waits on this clock's time."""
        step = int(seconds * 1000) + ms
        with self._lock:
            self._mono += step
            self._wall += timedelta(milliseconds=step)
            listeners = list(self._listeners)
        for wake in listeners:
            wake()

    def on_advance(self, wake):
        """Call *wake()* after every ``advance`` (the terminal re-checks its timer)."""
        with self._lock:
            self._listeners.append(wake)


class ScaledClock:
    """Simulated time (:class:`protocol.clock.Scale`): *start* at real Unix time *epoch*, *speed* times faster.

    Every process on the same scale shares one timeline, so a restarted terminal rejoins it.
    """

    def __init__(self, start, *, speed=60.0, epoch=None, monotonic_ms=1_000_000):
        self.scale = Scale(start, float(speed), time.time() if epoch is None else epoch)
        self._mono0 = monotonic_ms

    def monotonic_ms(self):
        """Simulated milliseconds since the (pretend) boot."""
        return self._mono0 + self.scale.elapsed_ms(time.time())

    def wall(self):
        """Simulated wall time."""
        return self.scale.start + timedelta(milliseconds=self.scale.elapsed_ms(time.time()))

    def real_seconds(self, seconds):
        """Real seconds to wait for *seconds* of simulated time."""
        return self.scale.real_seconds(seconds)

    def on_advance(self, wake):
        """Simulated time runs by itself, never in jumps: *wake* is never called."""
