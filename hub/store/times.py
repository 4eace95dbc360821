"""How the store keeps times: exact integer Unix microseconds, or ISO 8601 text in UTC (which sorts as text)."""
from datetime import datetime, timedelta, timezone

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
