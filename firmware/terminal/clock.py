"""Clocks the terminal reads through: the system's, and a manual one for tests and the hall simulator.

A clock offers ``monotonic_ms()`` (ms since this boot), ``wall()`` (an aware datetime, possibly wrong: a Pi
has no real-time clock) and ``real_seconds(s)``: how long to really wait for *s* seconds of its own time
(the simulator's fast clock divides by its speed). The runtime never reads ``time.time()`` itself.
"""
import threading
import time
from datetime import datetime, timedelta, timezone

BOOT_ID_PATH = "/proc/sys/kernel/random/boot_id"


def read_boot_id(path=BOOT_ID_PATH):
    """This boot's id (the kernel's random boot id, dashes removed)."""
    with open(path, encoding="ascii") as f:
        return f.read().strip().replace("-", "")


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

    def set_wall(self, wall):
        """Set the wall clock alone (a wrong or corrected system time); monotonic is untouched."""
        with self._lock:
            self._wall = wall

    def on_advance(self, wake):
        """Call *wake()* after every ``advance`` (the terminal re-checks its timer)."""
        with self._lock:
            self._listeners.append(wake)


class ScaledClock:
    """Simulated time: *start* at real Unix time *epoch*, running *speed* times faster (the hall simulator).

    Every process given the same three numbers shares one timeline, so a restarted terminal rejoins it.
    """

    def __init__(self, start, *, speed=60.0, epoch=None, monotonic_ms=1_000_000):
        self.start, self.speed, self._mono0 = start, speed, monotonic_ms
        self.epoch = time.time() if epoch is None else epoch

    def _elapsed_ms(self):
        return int((time.time() - self.epoch) * self.speed * 1000)

    def monotonic_ms(self):
        """Simulated milliseconds since the (pretend) boot."""
        return self._mono0 + self._elapsed_ms()

    def wall(self):
        """Simulated wall time."""
        return self.start + timedelta(milliseconds=self._elapsed_ms())

    def real_seconds(self, seconds):
        """Real seconds to wait for *seconds* of simulated time."""
        return seconds / self.speed
