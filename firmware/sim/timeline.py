"""Simulated time shared by every process of the simulated hall: *start* at real Unix time *epoch*, ×*speed*.

The hub and each terminal get the same ``HALLPOST_CLOCK`` value in their environment (:mod:`protocol.clock`),
so a terminal restarted mid-day rejoins the same simulated time instead of starting its own.
"""
import time

from protocol.clock import CLOCK_VARIABLE, Scale


class Timeline:
    """The mapping between simulated and real time."""

    def __init__(self, start, *, speed=60.0, epoch=None):
        self.scale = Scale(start, float(speed), time.time() if epoch is None else epoch)
        self.start, self.speed, self.epoch = self.scale.start, self.scale.speed, self.scale.epoch

    def now(self):
        """The simulated time now (in the start's time zone)."""
        return self.scale.at(time.time())

    def real_at(self, moment):
        """The real Unix time at which the simulation reaches *moment*."""
        return self.scale.real_at(moment)

    def real_seconds(self, seconds):
        """Real seconds that *seconds* of simulated time take."""
        return self.scale.real_seconds(seconds)

    def wait_until(self, moment, stop=None):
        """Sleep until simulated *moment*; False if *stop* (a threading.Event) was set first."""
        left = self.real_at(moment) - time.time()
        if left <= 0:
            return not (stop is not None and stop.is_set())
        if stop is None:
            time.sleep(left)
            return True
        return not stop.wait(left)

    def environment(self):
        """The environment that puts a hub or terminal process on this timeline."""
        return {CLOCK_VARIABLE: self.scale.spec()}
