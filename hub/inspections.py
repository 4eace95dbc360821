"""When the day's inspections fall due (R7 两督查、两抽查) and what each keeps of the windows.

R7: "上、下午下班前由行政中心协调股实行两次督查,上班期间不定时进行两次抽查". Taking them is the deriver's
(:meth:`hub.deriver.Deriver.take_due_inspections`); the store keeps their snapshots.
"""
import hashlib
import hmac
import random
from datetime import timedelta

SCHEDULED_BEFORE_END_MIN = 15
RANDOM_CHECKS = 2
SNAPSHOT_FIELDS = ("window", "name", "state", "holder", "holder_clerk", "waiting", "empty_since", "alarm",
                   "keypad", "last_sync", "offline_since")


def inspection_times(config, day, secret):
    """R7's checks of *day*: (slot, kind, due), one before each session's end and two at random times.

    R7: "上、下午下班前由行政中心协调股实行两次督查,上班期间不定时进行两次抽查". The random times are drawn
    from the day's session hours by a generator seeded with the HMAC of the date under the hub's own
    *secret* (``store.settings.inspection_secret``): every hub process agrees on a day's times and they stay
    fixed all day, but nobody can work them out beforehand from the source or the date.
    """
    sessions = config.sessions_on(day)
    times = [(f"scheduled-{s.name}", "scheduled", end - timedelta(minutes=SCHEDULED_BEFORE_END_MIN))
             for s, _, end in sessions]
    total = sum((end - start).total_seconds() for _, start, end in sessions)
    rng = random.Random(hmac.new(bytes.fromhex(secret), day.isoformat().encode(), hashlib.sha256).digest())
    for i in range(RANDOM_CHECKS if total else 0):
        offset = rng.uniform(0, total)
        for _, start, end in sessions:
            length = (end - start).total_seconds()
            if offset < length:
                times.append((f"random-{i + 1}", "random", start + timedelta(seconds=int(offset))))
                break
            offset -= length
    return sorted(times, key=lambda item: item[2])


def snapshot(store, at, hall):
    """Every window of *hall*'s state at *at*, reduced to what an inspection keeps."""
    return [{k: entry[k] for k in SNAPSHOT_FIELDS} for entry in store.live.wall(at, hall=hall)]


def take_due(store, now):
    """Take every inspection of today, in every hall, that is due at *now* and not yet taken; return how many
    were taken."""
    count, secret = 0, store.settings.inspection_secret()
    for hall, config in store.configs.every().items():
        day = now.astimezone(config.tz).date()
        taken = store.inspections.slots(day.isoformat(), hall)
        for slot, kind, due in inspection_times(config, day, secret):
            if due <= now and slot not in taken:
                count += store.inspections.add(hall=hall, day=day.isoformat(), slot=slot, kind=kind, due_at=due,
                                               taken_at=now, taken_by=None,
                                               snapshot=snapshot(store, due, hall)) is not None
    return count


def prefilled_sheet(window, entry):
    """A new sheet of *window* (its config) as the snapshot *entry* suggests: present when a post held it (None:
    the state was unknown, the inspector says), the clerk holding it (else the A post's), everything in order."""
    held = entry["state"] in ("A", "B")
    return {"clerk": entry["holder_clerk"] if held else window.a,
            "present": None if entry["state"] == "unknown" else int(held),
            "dress": 1, "desk": 1, "attitude": 1, "note": ""}


def sheet_clerks(window, entry):
    """The clerks a sheet of *window* may concern: the snapshot's holder and the window's A and B clerks."""
    return list(dict.fromkeys(c for c in (entry["holder_clerk"], window.a, window.b) if c))
