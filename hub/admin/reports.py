"""Reports: weekly case counts per window (R6) and monthly attendance per clerk (R8); CSV and print view."""
from collections import Counter
from datetime import datetime, time, timedelta

from babel.dates import format_skeleton
from flask import g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from protocol.hall import LEAVE_KINDS

from . import terms
from .auth import visible_clerks, visible_windows
from .blueprint import bp
from .context import fresh, hall, store
from .export import csv_response
from .periods import day_arg, month_arg, today, week_of
from .records import visible_rows

MONTH_COLUMNS = ("scheduled", "attended", "on_time", "not_early", "late_violations", "early_leave_violations",
                 "absent_violations", "off_post_violations", "empty_window_violations", "empty_window_minutes",
                 "leave_days", "overtime_hours", "year_absent_days")
LEAVE_DAYS = _l("Leave days")
MONTH_HEADINGS = (_l("Scheduled sessions"), _l("Attended sessions"), terms.STATUS["on_time"], _l("Not early"),
                  _l("Late"), _l("early leave"), _l("Absent"), _l("Off post"), _l("Empty window"), _l("Empty min"),
                  LEAVE_DAYS, _l("Overtime h"), _l("Absent days this year"))
ABSENT_DAYS_FLAG = 3   # R2: three or more absent days in a year flags the clerk for removal from the hall


def weekly_counts():
    """(monday, days, rows): finished services per visible window and working day of the week asked for.

    Days still to come count None (shown blank), not 0: nothing was done on them yet. A day's count is
    provisional until the window's terminal has reported past that day (R3: unknown is not empty), a silent
    window's included; a row (its total is the week's) while any of its days is.
    """
    config = hall()
    monday, sunday = week_of(day_arg("week"))
    days = [monday + timedelta(days=i) for i in range(7) if config.is_workday(monday + timedelta(days=i))]
    services = visible_rows("services", monday, sunday)
    counts = Counter((s["window"], s["day"]) for s in services)
    open_rows = {(s["window"], s["day"]) for s in services if s["provisional"]}
    heard, now = store().terminals.heard(g.hall), today()
    rows = []
    for w in visible_windows(config):
        unsettled = [(w.id, d.isoformat()) in open_rows or w.id not in heard
                     or heard[w.id] < datetime.combine(d + timedelta(days=1), time(0), config.tz) for d in days]
        rows.append({"window": w.id, "name": w.name,
                     "days": [counts[(w.id, d.isoformat())] if d <= now else None for d in days],
                     "unsettled": unsettled, "total": sum(counts[(w.id, d.isoformat())] for d in days),
                     "provisional": any(unsettled)})
    return monday, days, rows


def monthly_attendance(every_hall=False):
    """(first day, rows): the month's attendance summary per visible clerk of the request's hall (or, for the
    center, *every_hall*: per clerk of any hall, a person once whatever halls they serve), with the year's
    absent days."""
    first, last = month_arg()
    scope = None if every_hall else g.hall
    clerks = {c.id for c in visible_clerks(hall())} if scope else None
    reports = fresh(first.replace(month=1).isoformat(), last.isoformat()).reports
    absent = reports.absent_sessions(first.replace(month=1).isoformat(), last.isoformat(), hall=scope)
    rows = [dict(row, empty_window_minutes=round(row["empty_window_s"] / 60),
                 year_absent_days=absent[row["clerk"]] / 2, flagged=absent[row["clerk"]] / 2 >= ABSENT_DAYS_FLAG,
                 leave_by_kind=[(kind, row[f"leave_{kind}"]) for kind in LEAVE_KINDS if row[f"leave_{kind}"]])
            for row in reports.month_attendance(first.year, first.month, hall=scope)
            if clerks is None or row["clerk"] in clerks]
    return first, rows


@bp.route("/reports")
def reports():
    """The weekly case counts and the monthly attendance; ``?print=week`` or ``?print=month`` prints one of them
    as a form: the hall's name, its title, the print date and the lines for 制表, 审核 and 负责人."""
    monday, days, weekly = weekly_counts()
    first, monthly = monthly_attendance()
    locale = get_locale()
    return render_template("admin/reports.html", monday=monday, days=days, weekly=weekly, month=first,
                           monthly=monthly, columns=zip(MONTH_COLUMNS, MONTH_HEADINGS),
                           week_arg=request.args.get("week", ""), month_arg=first.strftime("%Y-%m"),
                           printing=request.args.get("print"), hall_name=hall().name, printed=today(),
                           month_title=_("Attendance summary, %(month)s",
                                         month=format_skeleton("yMMMM", first, locale=locale)),
                           week_title=_("Weekly case counts, %(first)s to %(last)s",
                                        first=format_skeleton("yMMMd", monday, locale=locale),
                                        last=format_skeleton("yMMMd", monday + timedelta(days=6), locale=locale)))


@bp.route("/reports/weekly.csv")
def weekly_csv():
    """The weekly case counts as CSV."""
    monday, days, rows = weekly_counts()
    header = [_("Window"), *[d.isoformat() for d in days], _("Total"), _("provisional")]
    return csv_response(f"weekly-{monday.isoformat()}", header,
                        [[r["name"], *["" if n is None else n for n in r["days"]], r["total"], int(r["provisional"])]
                         for r in rows])


@bp.route("/reports/monthly.csv")
def monthly_csv():
    """The monthly attendance summary as CSV."""
    first, rows = monthly_attendance()
    return csv_response(f"attendance-{first.strftime('%Y-%m')}", *monthly_sheet(rows))


def monthly_sheet(rows, hall_names=None):
    """(header, rows) of the monthly attendance as a sheet; with *hall_names* ({id: name}), a column of each
    clerk's halls after their name."""
    halls = [_("Halls")] if hall_names else []
    header = [_("Clerk"), *halls, _("Department"), *[str(h) for h in MONTH_HEADINGS],
              *[f"{LEAVE_DAYS}·{terms.LEAVE_KINDS[kind]}" for kind in LEAVE_KINDS], _("provisional")]
    return header, [[r["name"], *(["、".join(hall_names[h] for h in r["halls"])] if hall_names else []),
                     r["department"] or "", *[r[c] for c in MONTH_COLUMNS],
                     *[r[f"leave_{kind}"] for kind in LEAVE_KINDS], int(r["provisional"])] for r in rows]
