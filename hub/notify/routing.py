"""Which receivers a change goes to (routes), and when a due message must wait: quiet hours and silences.

A route matches a change by hall, department and alert kind (each unset: any); a receiver matched by several
routes gets one message, under the first route added. Quiet hours are local times of the change's hall
(``22:00``–``07:00`` spans midnight); a silence matches by hall, window and kind (each unset: any) from its start
to its end (or to when the office expired it). What falls due in either waits until it ends; an incident
that resolves meanwhile, never having been sent, is dropped with its resolution (:mod:`hub.store.outbox`).
"""
from datetime import datetime, time, timedelta

from ..store.times import utc_iso


def matches(route, change):
    """True when *route* (a dict) takes *change* (a dict of AlertChange's fields)."""
    return (route["hall"] in (None, change["hall"]) and route["department"] in (None, change["department"])
            and (not route["kinds"] or change["kind"] in route["kinds"]))


def receivers_for(routes, change):
    """(receiver, route id) for each receiver *change* goes to: its first matching route of *routes*."""
    chosen = {}
    for route in routes:
        if matches(route, change):
            chosen.setdefault(route["receiver"], route["id"])
    return sorted(chosen.items())


def quiet_until(route, now, tz):
    """The end of *route*'s quiet hours when *now* (aware) is in them (local times in *tz*), else None."""
    if route is None or not route["quiet_from"]:
        return None
    local = now.astimezone(tz)
    start, end, at = time.fromisoformat(route["quiet_from"]), time.fromisoformat(route["quiet_until"]), local.time()
    inside = start <= at < end if start <= end else (at >= start or at < end)
    if not inside:
        return None
    day = local.date() + timedelta(days=1 if end <= at else 0)
    return datetime.combine(day, end, tz)


def silence_matches(silence, change):
    """True when *silence*'s matchers (hall, window, kind; unset: any) take *change*."""
    return all(silence[name] in (None, change[name]) for name in ("hall", "window", "kind"))


def silenced_until(silences, change, now):
    """The end of the latest silence in force at *now* that matches *change*, or None."""
    at = utc_iso(now)
    ends = [datetime.fromisoformat(s["end"]) for s in silences
            if s["starts_at"] <= at < s["end"] and silence_matches(s, change)]
    return max(ends, default=None)
