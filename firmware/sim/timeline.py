"""Simulated time shared by every process of the simulated hall: *start* at real Unix time *epoch*, ×*speed*.

The hub and each terminal get the same three numbers on their command line (``--clock-start``,
``--clock-speed``, ``--clock-epoch``), so a terminal restarted mid-day rejoins the same simulated time
instead of starting its own.
"""
import time
from datetime import datetime, timedelta


class Timeline:
    """The mapping between simulated and real time."""

    def __init__(self, start, *, speed=60.0, epoch=None):
        if start.tzinfo is None:
            raise ValueError(f"start: must carry a time zone, got {start.isoformat()}")
        if speed <= 0:
            raise ValueError(f"speed: must be positive, got {speed}")
        self.start, self.speed = start, float(speed)
        self.epoch = time.time() if epoch is None else epoch

    def now(self):
        """The simulated time now (in the start's time zone)."""
        return self.start + timedelta(seconds=(time.time() - self.epoch) * self.speed)

    def real_at(self, moment):
        """The real Unix time at which the simulation reaches *moment*."""
        return self.epoch + (moment - self.start).total_seconds() / self.speed

    def real_seconds(self, seconds):
        """Real seconds that *seconds* of simulated time take."""
        return seconds / self.speed

    def wait_until(self, moment, stop=None):
        """Sleep until simulated *moment*; False if *stop* (a threading.Event) was set first."""
        left = self.real_at(moment) - time.time()
        if left <= 0:
            return not (stop is not None and stop.is_set())
        if stop is None:
            time.sleep(left)
            return True
        return not stop.wait(left)

    def args(self):
        """The command-line options that put a hub or terminal process on this timeline."""
        return ["--clock-start", self.start.isoformat(), "--clock-speed", repr(self.speed),
                "--clock-epoch", repr(self.epoch)]

    @classmethod
    def from_args(cls, start, speed, epoch):
        """The timeline of ``--clock-start/--clock-speed/--clock-epoch`` (epoch None: now)."""
        return cls(datetime.fromisoformat(start), speed=speed, epoch=epoch)
