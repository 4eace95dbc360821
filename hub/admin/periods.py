"""Days, weeks and months asked for in query strings, in the hall's time zone."""
from datetime import date, timedelta

from flask import abort, request

from .context import hall, now


def today():
    """The hall's local date now."""
    return now().astimezone(hall().tz).date()


def day_arg(name="date", default=None):
    """The ISO date in query argument *name* (400 when malformed), else *default* or today."""
    value = request.args.get(name)
    if not value:
        return default or today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400, description=f"{name}: not a date YYYY-MM-DD: {value!r}")


def month_arg(name="month"):
    """(first day, last day) of the month in query argument *name* (YYYY-MM), default this month."""
    value = request.args.get(name) or today().strftime("%Y-%m")
    try:
        first = date.fromisoformat(value + "-01")
    except ValueError:
        abort(400, description=f"{name}: not a month YYYY-MM: {value!r}")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def week_of(day):
    """(Monday, Sunday) of the week holding *day*."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def range_args():
    """(from, to) dates from the query (default: today), 400 when reversed."""
    first = day_arg("from")
    last = day_arg("to", default=first)
    if last < first:
        abort(400, description="to: must not be before from")
    return first, last
