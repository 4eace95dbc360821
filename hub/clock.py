"""The hub's clocks side by side: a clock is a callable returning an aware UTC datetime (the hub's time).

``HALLPOST_CLOCK`` chooses (:mod:`protocol.clock`), as for the terminal: the real clock, or the hall
simulator's scaled one that every process of a simulated hall shares.
"""
import os
import time
from datetime import datetime, timezone

from protocol.clock import CLOCK_VARIABLE, parse_clock


def utc_now():
    """The real clock: now, as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def scaled_clock(scale):
    """A clock on the simulated timeline *scale* (a :class:`protocol.clock.Scale`)."""
    return lambda: scale.at(time.time()).astimezone(timezone.utc)


def clock_from_environment(environ=os.environ):
    """The clock ``HALLPOST_CLOCK`` names: the real one unless it names a scaled one (ClockSpecError)."""
    scale = parse_clock(environ.get(CLOCK_VARIABLE), time.time())
    return utc_now if scale is None else scaled_clock(scale)
