"""Reports across halls (the center's office): monthly attendance per clerk of every hall (a clerk of two halls
on one line, each session of theirs counted once), weekly finished services per hall, ratings per hall, window
and clerk; the attendance as CSV."""
from collections import Counter
from datetime import datetime, time, timedelta

from flask import abort, render_template, request

from .auth import roles
from .blueprint import bp
from .context import fresh
from .export import csv_response
from .halls import is_center
from .periods import day_arg, month_arg, today, week_of
from .reports import MONTH_COLUMNS, MONTH_HEADINGS, monthly_attendance, monthly_sheet


def weekly_by_hall(configs):
    """(monday, days, rows): each hall's finished services per day of the week asked for; a day is unsettled
    while a window of the hall has not been heard past it or a service of it may still change (R3)."""
    monday, sunday = week_of(day_arg("week"))
    days, now = [monday + timedelta(days=i) for i in range(7)], today()
    store, rows = fresh(monday.isoformat(), sunday.isoformat()), []
    services = store.reports.services_by_hall_day(monday.isoformat(), sunday.isoformat())
    heard_by_hall = store.terminals.heard_by_hall()
    for its, config in configs.items():
        counts, heard = Counter({day: n for day, (n, _) in services.get(its, {}).items()}), heard_by_hall.get(its, {})
        open_days = {day for day, (_, provisional) in services.get(its, {}).items() if provisional}
        unsettled = [d.isoformat() in open_days or any(
            w.id not in heard or heard[w.id] < datetime.combine(d + timedelta(days=1), time(0), config.tz)
            for w in config.windows) for d in days]
        rows.append({"hall": its, "name": config.name, "unsettled": unsettled, "provisional": any(unsettled),
                     "days": [counts[d.isoformat()] if d <= now else None for d in days],
                     "total": sum(counts.values())})
    return monday, days, rows


def ratings_by_hall(windows):
    """Each hall's services, rated, average and share satisfied, from its windows' lines (service_summary)."""
    halls = {}
    for w in windows:
        line = halls.setdefault(w["hall"], {"hall": w["hall"], "services": 0, "rated": 0, "sum": 0.0,
                                            "satisfied": 0.0, "provisional": False})
        line["services"] += w["services"]
        line["rated"] += w["rated"]
        line["sum"] += (w["average"] or 0) * w["rated"]
        line["satisfied"] += (w["satisfied_share"] or 0) * w["rated"]
        line["provisional"] |= w["provisional"]
    return [dict(line, average=line["sum"] / line["rated"] if line["rated"] else None,
                 satisfied_share=line["satisfied"] / line["rated"] if line["rated"] else None)
            for line in halls.values()]


def _center_only():
    """403 unless the user is the center's (every hall)."""
    if not is_center():
        abort(403)


@bp.route("/center/reports")
@roles("office")
def center_reports():
    """The center's reports across every hall: monthly attendance, weekly counts, ratings per hall, window, clerk."""
    _center_only()
    (first, monthly), (_, last) = monthly_attendance(every_hall=True), month_arg()
    store = fresh(first.isoformat(), last.isoformat())
    configs = store.configs.every()
    monday, days, weekly = weekly_by_hall(configs)
    windows = store.reports.service_summary(first.isoformat(), last.isoformat(), hall=None)
    names = {its: {**{c.id: c.name for c in config.clerks.values()}, **{w.id: w.name for w in config.windows}}
             for its, config in configs.items()}
    return render_template("admin/center_reports.html", month=first, month_arg=first.strftime("%Y-%m"),
                           week_arg=request.args.get("week", ""), monday=monday, days=days, weekly=weekly,
                           monthly=monthly, columns=list(zip(MONTH_COLUMNS, MONTH_HEADINGS)),
                           hall_names={its: config.name for its, config in configs.items()}, names=names,
                           hall_ratings=ratings_by_hall(windows), window_ratings=windows,
                           clerk_ratings=store.reports.service_summary(first.isoformat(), last.isoformat(),
                                                                       by="clerk", hall=None))


@bp.route("/center/monthly.csv")
@roles("office")
def center_monthly_csv():
    """The monthly attendance across every hall as CSV, each clerk's halls in a column."""
    _center_only()
    first, rows = monthly_attendance(every_hall=True)
    names = {h["id"]: h["name"] for h in fresh(first.isoformat(), first.isoformat()).configs.halls()}
    return csv_response(f"attendance-all-halls-{first.strftime('%Y-%m')}", *monthly_sheet(rows, names))
