"""How the hub writes durations and times: on every admin page, in wall.json and on the text wall."""
from datetime import datetime

from .i18n import N_

MISSING = "—"
# A duration's words, translated by the caller's gettext (zh: 45秒, 12分钟, 2小时, 1小时1分).
SECONDS, MINUTES, HOURS, HOURS_MINUTES = (N_("%(s)s s"), N_("%(m)s min"), N_("%(h)s h"),
                                          N_("%(h)s h %(m)s min"))


def _as_written(message):
    return message


def duration(seconds, gettext=_as_written, missing=MISSING):
    """Seconds in the reader's words: under a minute in seconds, then whole minutes, then hours and minutes.

    English (the msgids): 45 s, 12 min, 2 h, 1 h 1 min; *gettext* translates them (zh: 45秒, 12分钟, 2小时,
    1小时1分). *missing* stands for None.
    """
    if seconds is None:
        return missing
    seconds = int(seconds)
    if seconds < 60:
        return gettext(SECONDS) % {"s": seconds}
    hours, minutes = divmod(seconds // 60, 60)
    if not hours:
        return gettext(MINUTES) % {"m": minutes}
    return gettext(HOURS_MINUTES if minutes else HOURS) % {"h": hours, "m": minutes}


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
