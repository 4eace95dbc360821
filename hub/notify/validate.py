"""The office's notification settings checked before they are stored: routes and silences, each refusal
naming the field and the value."""
import re
from datetime import time

DURATION = re.compile(r"^(\d+)([smhd])$")
UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_REPEAT_S = 60
COMMENT_LIMIT = 500


def duration_s(text, field):
    """Seconds in *text* like ``90s``, ``30m``, ``4h`` or ``1d``; ValueError naming *field*."""
    found = DURATION.match(text.strip()) if isinstance(text, str) else None
    if not found:
        raise ValueError(f"{field}: {text!r} is not a duration like 30m, 4h or 1d")
    return int(found.group(1)) * UNIT_S[found.group(2)]


def quiet_hours(text):
    """(from, until) local ``HH:MM`` of *text* like ``22:00-07:00``; (None, None) for empty text."""
    if not text:
        return None, None
    parts = text.split("-")
    try:
        start, end = (time.fromisoformat(part.strip()) for part in parts) if len(parts) == 2 else (None, None)
    except ValueError:
        start = end = None
    if start is None or start == end:
        raise ValueError(f"quiet hours: {text!r} is not two different local times like 22:00-07:00")
    return start.strftime("%H:%M"), end.strftime("%H:%M")


def route(*, receiver, halls, hall=None, department=None, kinds=(), repeat="4h", quiet=None):
    """A route (dict) to store, of *receiver* for *hall* (one of *halls*, ids; None: all), *department*, *kinds*,
    re-notifying every *repeat*, silent in *quiet* hours."""
    if hall is not None and hall not in halls:
        raise ValueError(f"route: hall {hall!r} is not a hall of this hub ({', '.join(sorted(halls))})")
    repeat_s = duration_s(repeat, "repeat")
    if repeat_s < MIN_REPEAT_S:
        raise ValueError(f"repeat: {repeat!r} is under a minute")
    quiet_from, quiet_until = quiet_hours(quiet)
    return {"receiver": receiver, "hall": hall, "department": department or None,
            "kinds": tuple(k for k in kinds if k), "repeat_s": repeat_s, "quiet_from": quiet_from,
            "quiet_until": quiet_until}


def silence(*, halls, hall=None, window=None, kind=None, starts_at, ends_at, comment, now):
    """A silence (dict) to store: matchers *hall* (one of *halls*), *window*, *kind* (at least one), from
    *starts_at* to *ends_at* (aware; the end after the start and after *now*), with a *comment*."""
    hall, window, kind, comment = (value.strip() if value else None for value in (hall, window, kind, comment))
    if not (hall or window or kind):
        raise ValueError("silence: name a hall, a window or an alert kind (a silence of everything is refused)")
    if hall and hall not in halls:
        raise ValueError(f"silence: hall {hall!r} is not a hall of this hub")
    if ends_at <= starts_at or ends_at <= now:
        raise ValueError(f"silence: end {ends_at.isoformat()} is not after its start and now")
    if not comment or len(comment) > COMMENT_LIMIT:
        raise ValueError(f"silence: a comment (why, at most {COMMENT_LIMIT} characters) is required")
    return {"hall": hall, "window": window, "kind": kind, "starts_at": starts_at, "ends_at": ends_at,
            "comment": comment}
