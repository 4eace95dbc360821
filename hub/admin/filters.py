"""Filters of the office's lists: parsed once from the query string into a :class:`Filter` that the page, its
shared filter bar (``admin/_filters.html``) and its exports all use, so an export holds exactly the page's rows.

Arguments: ``hall`` (center users; :mod:`.halls`), ``from``/``to`` or ``date`` (one day) or ``period``
(today, week from Monday, month, last month, in the hall's time zone), ``department``, ``window``, ``clerk`` (a
search in names and ids), ``status`` (the list's own: a violation kind, a rating level ...), ``settled``
(provisional or final) and, on the ratings page, ``followup`` (open, overdue, closed).
A filter only narrows what the user's role sees (:func:`.auth.visible_windows`): a department or window outside
it is 403, an unknown value, a malformed date or a reversed range a 400 naming the argument.
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import g, request
from flask_babel import lazy_gettext as _l

from ..i18n import N_
from . import terms
from .auth import visible_clerks, visible_windows
from .context import hall
from .halls import is_center
from .periods import FIRST_DAY, BadArgument, check_range, month_bounds, parse_day, refuse, today, week_of

PERIODS = {"today": _l("Today"), "week": _l("This week"), "month": _l("This month"), "last_month": _l("Last month")}
SETTLED = {"provisional": _l("provisional"), "final": _l("final")}
FOLLOWUPS = {"open": _l("open"), "overdue": _l("overdue"), "closed": _l("Closed")}
LOW_SCORES = ("1", "2")
# Each list's statuses: value -> label. A rating level is a score; "low" is every 差评 (1–2).
STATUSES = {
    "violations": terms.VIOLATIONS,
    "attendance": {key: terms.STATUS[key] for key in ("on_time", "not_early", "late", "absent", "leave", "unknown")},
    "handovers": {"taken": _l("taken over"), "waiting": _l("never taken")},
    "ratings": {"low": _l("Poor ratings only (1–2)"),
                **{str(score): _l("%(score)s points", score=score) for score in (5, 4, 3, 2, 1)}},
    "empty": {}, "inspections": {},
}
SEARCH_LIMIT = 50
DAYS_SHOWN = {"ratings": 30}        # a list's default span, in days up to today (others: today alone)


def period_span(period, day):
    """(first, last) day of *period* (a key of PERIODS) as seen on *day*: a week starts on Monday."""
    if period == "today":
        return day, day
    if period == "week":
        return week_of(day)
    if period == "month":
        return month_bounds(day.replace(day=1))
    return month_bounds((day.replace(day=1) - timedelta(days=1)).replace(day=1))


def folded(text):
    """*text* as searched: NFKC (full-width letters and digits as half-width), case-folded, trimmed."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


@dataclass(frozen=True)
class Filter:
    """One list's filter as asked for, and what it resolves to within the user's sight."""

    first: date
    last: date
    page: str
    period: str = ""
    department: str = ""
    window: str = ""
    clerk: str = ""
    status: str = ""
    settled: str = ""
    followup: str = ""
    hall: str = ""
    windows: tuple = ()                         # the window ids shown: the role's, narrowed
    clerks: frozenset = field(default=None)     # the clerk ids the search matches (None: no search)

    @property
    def provisional(self):
        """True/False for only provisional/final rows; None for both."""
        return None if not self.settled else self.settled == "provisional"

    def kinds(self):
        """The kinds (the projections' kind column) the status asks for, or None for any."""
        if not self.status or self.page == "handovers":
            return None
        return LOW_SCORES if self.status == "low" else (self.status,)

    def keeps(self, row, status=True):
        """Does *row* (already of the shown windows, kinds and settledness) match the clerk search and (when
        *status*) the status?"""
        if self.clerks is not None and not self.clerks & clerks_of(row):
            return False
        if status and self.page == "handovers" and self.status:
            return (row["taken"] is not None) == (self.status == "taken")
        return True

    def args(self, **changes):
        """The query arguments that ask for this filter (with *changes*; a value "" drops one)."""
        dates = {"period": self.period} if self.period else {"from": self.first.isoformat(),
                                                            "to": self.last.isoformat()}
        asked = {"hall": self.hall, **dates, "department": self.department, "window": self.window,
                 "clerk": self.clerk, "status": self.status, "settled": self.settled, "followup": self.followup}
        asked.update(changes)
        return {key: value for key, value in asked.items() if value}

    def export_args(self, page):
        """The arguments of the export of list *page* shown with this filter: the dates as shown, the page's own
        filters that the list has."""
        return self.args(period="", **{"from": self.first.isoformat(), "to": self.last.isoformat()},
                         status=self.status if page == self.page else "", followup="")

    def period_args(self, period):
        """The arguments of this filter over the shortcut *period* instead of its dates."""
        return self.args(period=period, **{"from": "", "to": ""})

    def shifted(self, days):
        """The arguments of this filter over its span moved by *days*."""
        return self.args(period="", **{"from": (self.first + timedelta(days=days)).isoformat(),
                                       "to": (self.last + timedelta(days=days)).isoformat()})


def clerks_of(row):
    """The clerk ids a derived row names: its clerk, the two sides of a handover, whom an empty window is charged to."""
    named = {row.get(key) for key in ("clerk", "from_clerk", "to_clerk")}
    named |= {piece["clerk"] for piece in row.get("charged_to") or ()}
    return named - {None}


def _choice(args, name, choices):
    """The value of argument *name*, one of *choices* (or ""); BadArgument otherwise."""
    value = args.get(name, "")
    if value and value not in choices:
        raise BadArgument(N_("%(field)s: %(value)s is not one of %(choices)s"), name, value=value,
                          choices=", ".join(choices))
    return value


def _dates(args, today_, days):
    """(first, last, period) from the arguments: a period, else from/to or one date, else *days* up to today."""
    period = _choice(args, "period", PERIODS)
    if period:
        return (*period_span(period, today_), period)
    if args.get("date") and not (args.get("from") or args.get("to")):
        day = parse_day("date", args["date"])
        return day, day, ""
    given = {name: parse_day(name, args[name]) for name in ("from", "to") if args.get(name)}
    if days == 1:
        first = given.get("from", today_)
        return (*check_range(first, given.get("to", first)), "")
    last = given.get("to", today_)
    return (*check_range(given.get("from", max(last - timedelta(days=days - 1), FIRST_DAY)), last), "")


def _windows(args, config, windows):
    """(department, window, window ids shown) within the role's *windows*; 400 unknown, 403 outside the role."""
    department, window = args.get("department", ""), args.get("window", "")
    if department and department not in {w.department for w in config.windows}:
        raise BadArgument(N_("%(field)s: %(value)s is not a department of this hall"), "department", value=department)
    if department and department not in {w.department for w in windows}:
        raise BadArgument(N_("%(field)s: %(value)s is outside what you may see"), "department", 403, value=department)
    if window and config.window(window) is None:
        raise BadArgument(N_("%(field)s: %(value)s is not a window of this hall"), "window", value=window)
    if window and window not in {w.id for w in windows}:
        raise BadArgument(N_("%(field)s: %(value)s is outside what you may see"), "window", 403, value=window)
    shown = tuple(w.id for w in windows if (not department or w.department == department)
                  and (not window or w.id == window))
    return department, window, shown


def _clerks(args, clerks):
    """(search text, ids of the *clerks* whose name or id holds it, or None without a search)."""
    text = args.get("clerk", "").strip()
    if len(text) > SEARCH_LIMIT:
        raise BadArgument(N_("%(field)s: at most %(limit)s characters"), "clerk", limit=SEARCH_LIMIT)
    if not text:
        return "", None
    needle = folded(text)
    return text, frozenset(c.id for c in clerks if needle in folded(c.name) or needle in folded(c.id))


def parse(args, page, *, config, windows, clerks, today_, followups=False, hall_id=""):
    """The Filter of list *page* asked for by *args* (a mapping), within the role's *windows* and *clerks* of
    *config*, dates seen on *today_*; BadArgument for a bad value."""
    first, last, period = _dates(args, today_, DAYS_SHOWN.get(page, 1))
    department, window, shown = _windows(args, config, windows)
    clerk, matched = _clerks(args, clerks)
    return Filter(first, last, page, period=period, department=department, window=window, clerk=clerk,
                  status=_choice(args, "status", STATUSES[page]), settled=_choice(args, "settled", SETTLED),
                  followup=_choice(args, "followup", FOLLOWUPS if followups else {}), hall=hall_id,
                  windows=shown, clerks=matched)


def from_request(page, *, followups=False):
    """The Filter of this request for list *page*; 400 or 403 with the reason in the reader's language."""
    config = hall()
    try:
        return parse(request.args, page, config=config, windows=visible_windows(config),
                     clerks=visible_clerks(config), today_=today(), followups=followups,
                     hall_id=g.hall if is_center() and len(g.halls) > 1 else "")
    except BadArgument as exc:
        refuse(exc)


@dataclass(frozen=True)
class Bar:
    """What the filter bar offers: the filter, and each choice as (value, label) pairs."""

    filter: Filter
    halls: list
    departments: list
    windows: list
    statuses: list
    followups: list
    period: str                                 # the shortcut shown as chosen: asked for, or whose days are shown
    periods: list = field(default_factory=lambda: list(PERIODS.items()))
    settled: list = field(default_factory=lambda: list(SETTLED.items()))


def bar(flt):
    """The filter bar of *flt*'s page: the hall (center users of several halls), the departments and windows of the
    role's sight in config order, the page's statuses; a shortcut whose days are shown is marked chosen."""
    windows = visible_windows(hall())
    departments = list(dict.fromkeys(w.department for w in windows if w.department))
    day = today()
    period = flt.period or next((p for p in PERIODS if period_span(p, day) == (flt.first, flt.last)), "")
    return Bar(flt, g.halls if flt.hall else [], [(d, d) for d in departments], [(w.id, w.name) for w in windows],
               list(STATUSES[flt.page].items()), list(FOLLOWUPS.items()) if flt.page == "ratings" else [], period)
