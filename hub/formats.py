"""How the hub writes durations and times: on every admin page, in wall.json and on the text wall."""
from datetime import datetime

MISSING = "—"


def duration(seconds, missing=MISSING):
    """Seconds as a short duration: 45s, 12m05s, 2h10m (*missing* for None)."""
    if seconds is None:
        return missing
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes // 60}h{minutes % 60}m" if minutes >= 60 else f"{minutes}m{rest:02d}s"


def clock(value, missing=MISSING):
    """An ISO time's HH:MM:SS as written (derived rows and the wall's local times carry the hall's offset)."""
    return value[11:19] if value else missing


def local_iso(value, tz):
    """An ISO time (any offset) or an aware datetime as ISO in the zone *tz*, to the second (None stays None)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(tz).isoformat(timespec="seconds")


def local(value, tz, missing=MISSING):
    """An ISO time (any offset) as the hall's local "YYYY-MM-DD HH:MM:SS" (*missing* for none)."""
    return datetime.fromisoformat(value).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if value else missing
