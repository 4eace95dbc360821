"""How the store keeps times: exact integer Unix microseconds, or ISO 8601 text in UTC (which sorts as text)."""
from datetime import datetime, time, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def to_us(moment):
    """An aware datetime as exact integer Unix microseconds."""
    return (moment - EPOCH) // _MICROSECOND


def from_us(us):
    """Integer Unix microseconds as an aware UTC datetime."""
    return EPOCH + timedelta(microseconds=us)


def utc_iso(moment):
    """An aware datetime as ISO 8601 UTC."""
    return moment.astimezone(timezone.utc).isoformat()


def local_iso(us, tz):
    """Integer Unix microseconds as ISO 8601 in the zone *tz* (None stays None)."""
    return None if us is None else from_us(us).astimezone(tz).isoformat()


class LocalDays:
    """The local date (ISO) of integer Unix µs in the zone *tz*, as a callable. The span of the last day found is
    kept when its UTC offset holds all day (no daylight-saving change in it): a push's facts fall on a few days,
    so most cost two comparisons instead of a datetime each."""

    def __init__(self, tz):
        self.tz, self._start, self._end, self._day = tz, 0, 0, None

    def __call__(self, us):
        if self._start <= us < self._end:
            return self._day
        local = from_us(us).astimezone(self.tz)
        day = local.date()
        start = to_us(datetime.combine(day, time(), local.tzinfo))
        end = to_us(datetime.combine(day + timedelta(days=1), time(), local.tzinfo))
        iso = day.isoformat()
        if local.utcoffset() == from_us(start).astimezone(self.tz).utcoffset() == from_us(end - 1).astimezone(
                self.tz).utcoffset():
            self._start, self._end, self._day = start, end, iso
        return iso
