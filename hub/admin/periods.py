"""Days, weeks and months asked for in query strings, in the hall's time zone.

Every day asked for lies in the years the hall can record (as fact times do) and a range spans at most a
year: anything else is a 400 naming the argument in the reader's words, never an overflow deep in a report.
The checks themselves are pure (:class:`BadArgument`); the ``*_arg`` helpers read the request and answer 400.
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
             "month": lazy_pgettext("query argument", "month"), "period": lazy_pgettext("query argument", "period"),
             "department": lazy_pgettext("query argument", "department"),
             "window": lazy_pgettext("query argument", "window"), "clerk": lazy_pgettext("query argument", "clerk"),
             "status": lazy_pgettext("query argument", "status"),
             "settled": lazy_pgettext("query argument", "provisional or final"),
             "followup": lazy_pgettext("query argument", "follow-up")}


class BadArgument(ValueError):
    """A query argument refused: *message* (a msgid) about argument *name* with *values*; *code* 400 for a bad
    value, 403 for one outside what the user may see."""

    def __init__(self, message, name, code=400, **values):
        super().__init__(message % dict(values, field=name))
        self.message, self.name, self.code, self.values = message, name, code, values

    def text(self):
        """The message in the reader's language, naming the argument in their words."""
        return gettext(self.message, field=ARGUMENTS[self.name], **self.values)


def refuse(exc):
    """Answer *exc* (a BadArgument): its code, with its message in the reader's language."""
    abort(exc.code, description=exc.text())


def parse_day(name, value):
    """The ISO date *value* of argument *name*, within the recordable years; BadArgument otherwise."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadArgument(N_("%(field)s: %(value)s is not a date YYYY-MM-DD"), name, value=value) from None
    return _recordable(name, value, day)


def _recordable(name, value, day):
    """*day* (asked for as *value* in argument *name*), or BadArgument when it lies outside the recordable years."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadArgument(N_("%(field)s: %(value)s is outside %(first)s..%(last)s"), name, value=value,
                          first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    return day


def check_range(first, last):
    """(*first*, *last*), or BadArgument when reversed or more than a year apart."""
    if last < first:
        raise BadArgument(N_("%(field)s: %(last)s is before the first day %(first)s"), "to", first=first, last=last)
    if (last - first).days >= MAX_RANGE_DAYS:
        raise BadArgument(N_("%(field)s: at most %(days)s days after the first day (%(first)s to %(last)s is longer)"),
                          "to", days=MAX_RANGE_DAYS - 1, first=first, last=last)
    return first, last


def local_day(moment, tz):
    """The date in time zone *tz* at the aware instant *moment*."""
    return moment.astimezone(tz).date()


def today():
    """The hall's local date now."""
    return local_day(now(), hall().tz)


def day_arg(name="date", default=None):
    """The ISO date in query argument *name* (400 when malformed), else *default* or today."""
    value = request.args.get(name)
    if not value:
        return default or today()
    try:
        return parse_day(name, value)
    except BadArgument as exc:
        refuse(exc)


def month_bounds(first):
    """(first day, last day) of the month starting *first*."""
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def parse_month(name, value):
    """The first day of the month *value* (YYYY-MM) of argument *name*; BadArgument otherwise."""
    try:
        first = date.fromisoformat(value + "-01")
    except ValueError:
        raise BadArgument(N_("%(field)s: %(value)s is not a month YYYY-MM"), name, value=value) from None
    return _recordable(name, value, first)


def month_arg(name="month"):
    """(first day, last day) of the month in query argument *name* (YYYY-MM), default this month."""
    try:
        return month_bounds(parse_month(name, request.args.get(name) or today().strftime("%Y-%m")))
    except BadArgument as exc:
        refuse(exc)


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
    try:
        return check_range(first, last)
    except BadArgument as exc:
        refuse(exc)
