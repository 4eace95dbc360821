"""The hub's clocks: the hall simulator's fast one."""
import time
from datetime import datetime, timedelta, timezone


def fast_clock(start, speed, epoch=None):
    """A hub clock for the hall simulator: *start* (ISO) at real Unix time *epoch*, running *speed* times faster."""
    origin = datetime.fromisoformat(start).astimezone(timezone.utc)
    epoch = time.time() if epoch is None else epoch
    return lambda: origin + timedelta(seconds=(time.time() - epoch) * speed)
