"""Ratings and follow-ups (R5 办结评价): counts, averages, share satisfied, trend; each follow-up links to its case
(:mod:`hub.admin.cases`), where it is handled and closed."""
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from flask import g, render_template
from flask_babel import gettext as _

from ..public_results import indicators
from . import filters
from .auth import visible_clerks
from .blueprint import bp
from .chart import trend_svg
from .context import fresh, hall, store
from .periods import today
from .records import filtered_rows, names

OPEN_FOLLOWUPS_DAYS = 366


def _followups(flt):
    """Follow-ups of 1-2 ratings the filter *flt* shows: those of its days, plus any still open from the year
    before or after them (an open follow-up never drops out of sight), of its ``followup`` state when chosen
    (open includes overdue)."""
    closures, day = store().followups.closures(g.hall), today().isoformat()
    first, last = flt.first.isoformat(), flt.last.isoformat()
    lookback = replace(flt, last=max(flt.last, today()), status=flt.status or "low")
    rows = []
    for service in filtered_rows("services", lookback, first=flt.first - timedelta(days=OPEN_FOLLOWUPS_DAYS)):
        closure = closures.get((service["window"], service["service"], service["done"]))
        if not service.get("followup_due") or (closure is not None and not first <= service["day"] <= last):
            continue
        state = "closed" if closure else "overdue" if service["followup_due"] < day else "open"
        if not flt.followup or flt.followup == state or (flt.followup == "open" and state == "overdue"):
            rows.append(dict(service, closure=closure))
    return sorted(rows, key=lambda row: (row["done"], row["window"]))


def _summary_clerks(flt):
    """The clerks of the per-clerk summary: those the user may see, at the filter's windows, matching its search."""
    config = hall()
    clerks = {c.id for c in visible_clerks(config)}
    if flt.department or flt.window:
        clerks &= {post for w in config.windows if w.id in flt.windows for post in (w.a, w.b)}
    return clerks if flt.clerks is None else clerks & flt.clerks


@bp.route("/ratings")
def ratings():
    """The headline indicators (差评率, 满意率 as the hall defines it, the five levels), ratings per window and per
    clerk (of the filter's windows and clerks), the daily trend, the services and the follow-ups that the whole
    filter shows; a rating upheld on appeal counts in no figure."""
    flt = filters.from_request("ratings", followups=True)
    clerks = _summary_clerks(flt)
    span = flt.first.isoformat(), flt.last.isoformat()
    reports = fresh(*span).reports
    by_window = [r for r in reports.service_summary(*span, by="window", hall=g.hall) if r["window"] in flt.windows]
    by_clerk = [r for r in reports.service_summary(*span, by="clerk", hall=g.hall) if r["clerk"] in clerks]
    services = filtered_rows("services", flt)
    upheld = {key[1:] for key in store().cases.upheld(g.hall)}
    counted = [s for s in services if (s["window"], s["service"], s["done"]) not in upheld]
    daily = defaultdict(list)
    for service in counted:
        if service["score"] is not None:
            daily[service["day"]].append(service["score"])
    points = [(date.fromisoformat(day), sum(scores) / len(scores)) for day, scores in sorted(daily.items())]
    config = hall()
    headline = indicators(counted, set(store().followups.closures(g.hall)), config.rules.satisfied_min_score)
    return render_template("admin/ratings.html", bar=filters.bar(flt), by_window=by_window, by_clerk=by_clerk,
                           headline=headline, config=config,
                           chart=trend_svg(points, start=flt.first, end=flt.last, label=_("Trend (daily average)")),
                           services=services, followups=_followups(flt), names=names(), today=today().isoformat())
