"""Charts the office would rather look at than read: where the windows stood empty by hour, late and 旷工
per day, each window's rating trend and its 差评 (R3, R2, R5), as server-drawn SVG that prints."""
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from flask import render_template
from flask_babel import gettext as _

from .auth import visible_windows
from .blueprint import bp
from .chart import bars_svg, heatmap_svg, trend_svg
from .context import hall
from .periods import FIRST_DAY, checked_range, day_arg
from .records import visible_rows

DEFAULT_DAYS = 30
LOW_SCORES = (1, 2)
LATE, ABSENT, LOW = "#e0a526", "#c0392b", "#8e44ad"


def hours_of_day(config):
    """The local hours the hall's sessions touch, in order ("08" … "17")."""
    first = min(s.start.hour for s in config.sessions)
    last = max(s.end.hour - (s.end.minute == 0) for s in config.sessions)
    return [f"{h:02d}" for h in range(first, last + 1)]


def empty_minutes_by_hour(rows, tz):
    """Minutes of empty window per (window id, local hour "HH"), each interval split at the hour marks."""
    minutes = Counter()
    for row in rows:
        start = datetime.fromisoformat(row["start"]).astimezone(tz)
        end = datetime.fromisoformat(row["end"]).astimezone(tz)
        while start < end:
            edge = min(end, start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
            minutes[(row["window"], f"{start.hour:02d}")] += (edge - start).total_seconds() / 60
            start = edge
    return minutes


def per_day(rows, first, last, kinds):
    """For each of *kinds*, the number of rows of that kind on each day first..last."""
    counts = Counter((row["day"], row["kind"]) for row in rows)
    days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    return days, {kind: [counts[(day, kind)] for day in days] for kind in kinds}


def daily_averages(services):
    """``{window id: [(day, average score)]}`` of the rated *services*, days in order ("not rated" is no score)."""
    scores = defaultdict(lambda: defaultdict(list))
    for service in services:
        if service["score"] is not None:
            scores[service["window"]][service["day"]].append(service["score"])
    return {window: [(date.fromisoformat(day), sum(s) / len(s)) for day, s in sorted(days.items())]
            for window, days in scores.items()}


@bp.route("/charts")
def charts():
    """The heat map of empty-window minutes by window × hour, late and 旷工 per day, each window's rating trend
    and its 差评."""
    config = hall()
    last = day_arg("to")
    first, last = checked_range(day_arg("from", default=max(last - timedelta(days=DEFAULT_DAYS - 1), FIRST_DAY)), last)
    windows = visible_windows(config)
    by_hour = empty_minutes_by_hour(visible_rows("empty_intervals", first, last), config.tz)
    hours = hours_of_day(config)
    heat = heatmap_svg([w.name for w in windows], hours,
                       {(w.name, h): round(by_hour[(w.id, h)], 1) for w in windows for h in hours if by_hour[(w.id, h)]},
                       label=_("Empty-window minutes by window and hour"), unit=_("min"))
    days, counts = per_day(visible_rows("violations", first, last), first, last, ("late", "absent"))
    daily = bars_svg([day[5:] for day in days], [(_("Late"), LATE, counts["late"]),
                                                 (_("Absent"), ABSENT, counts["absent"])],
                     label=_("Late and absent per day"))
    services = visible_rows("services", first, last)
    low = Counter(s["window"] for s in services if s["score"] in LOW_SCORES)
    ratings = bars_svg([w.name for w in windows], [(_("Ratings of 1–2"), LOW, [low[w.id] for w in windows])],
                       label=_("Poor ratings per window"))
    averages = daily_averages(services)
    trends = [(w, trend_svg(averages[w.id], start=first, end=last,
                            label=_("%(window)s: daily average rating", window=w.name)))
              for w in windows if w.id in averages]
    return render_template("admin/charts.html", first=first, last=last, heat=heat, daily=daily, ratings=ratings,
                           trends=trends)
