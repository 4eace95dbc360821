"""Days, weeks and months asked for in query strings, in the hall's time zone.

Every day asked for lies in the years the hall can record (as fact times do) and a range spans at most a
year: anything else is a 400 naming the argument in the reader's words, never an overflow deep in a report.
"""
from datetime import date, timedelta

from flask import abort, request
from flask_babel import gettext, lazy_pgettext

from protocol.facts import EARLIEST, LATEST

from ..i18n import N_
from .context import hall, now

FIRST_DAY, LAST_DAY = EARLIEST.date(), (LATEST - timedelta(days=1)).date()
MAX_RANGE_DAYS = 366
# The query arguments as the pages label them.
ARGUMENTS = {"date": lazy_pgettext("query argument", "date"), "from": lazy_pgettext("query argument", "from"),
             "to": lazy_pgettext("query argument", "to"), "week": lazy_pgettext("query argument", "week"),
             "month": lazy_pgettext("query argument", "month")}


def _refuse(message, name, **values):
    """400 with *message* (a msgid) in the reader's language, naming the argument *name*."""
    abort(400, description=gettext(message, field=ARGUMENTS[name], **values))


def today():
    """The hall's local date now."""
    return now().astimezone(hall().tz).date()


def day_arg(name="date", default=None):
    """The ISO date in query argument *name* (400 when malformed), else *default* or today."""
    value = request.args.get(name)
    if not value:
        return default or today()
    try:
        return _recordable(name, value, date.fromisoformat(value))
    except ValueError:
        _refuse(N_("%(field)s: %(value)s is not a date YYYY-MM-DD"), name, value=value)


def _recordable(name, value, day):
    """*day* (asked for as *value* in argument *name*), or 400 when it lies outside the recordable years."""
    if not FIRST_DAY <= day <= LAST_DAY:
        _refuse(N_("%(field)s: %(value)s is outside %(first)s..%(last)s"), name, value=value,
                first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    return day


def month_arg(name="month"):
    """(first day, last day) of the month in query argument *name* (YYYY-MM), default this month."""
    value = request.args.get(name) or today().strftime("%Y-%m")
    try:
        first = _recordable(name, value, date.fromisoformat(value + "-01"))
    except ValueError:
        _refuse(N_("%(field)s: %(value)s is not a month YYYY-MM"), name, value=value)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def week_of(day):
    """(Monday, Sunday) of the week holding *day*."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def range_args():
    """(from, to) dates from the query (default: today, to defaults to from), 400 as :func:`checked_range`."""
    first = day_arg("from")
    return checked_range(first, day_arg("to", default=first))


def checked_range(first, last):
    """(*first*, *last*), or 400 when reversed or more than a year apart."""
    if last < first:
        _refuse(N_("%(field)s: %(last)s is before the first day %(first)s"), "to", first=first, last=last)
    if (last - first).days >= MAX_RANGE_DAYS:
        _refuse(N_("%(field)s: at most %(days)s days after the first day (%(first)s to %(last)s is longer)"), "to",
                days=MAX_RANGE_DAYS - 1, first=first, last=last)
    return first, last
