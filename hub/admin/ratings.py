"""Ratings and follow-ups (R5 办结评价): counts, averages, share satisfied, trend; closing a follow-up."""
from collections import defaultdict
from datetime import date, timedelta

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .auth import require_window, roles, visible_clerks, visible_windows
from .blueprint import bp
from .chart import trend_svg
from .context import audit, fresh, hall, now, store
from .periods import FIRST_DAY, checked_range, day_arg, today
from .records import names, visible_rows

DEFAULT_DAYS = 30
LOW_SCORES = (1, 2)
OPEN_FOLLOWUPS_DAYS = 366


def _followups(first, last, open_only):
    """Follow-ups of 1-2 ratings: those of first..last, plus any still open from the year before *first* or
    after *last* (an open follow-up never drops out of sight); only the open ones when *open_only*."""
    closures = store().followups.closures(g.hall)
    rows = []
    for score in LOW_SCORES:
        for service in visible_rows("services", first - timedelta(days=OPEN_FOLLOWUPS_DAYS), max(last, today()),
                                    kind=score):
            closure = closures.get((service["window"], service["service"], service["done"]))
            in_period = first.isoformat() <= service["day"] <= last.isoformat()
            if service.get("followup_due") and (closure is None or (in_period and not open_only)):
                rows.append(dict(service, closure=closure))
    return sorted(rows, key=lambda row: (row["done"], row["window"]))


def _back(window, service):
    """Where closing a follow-up returns: the page it was closed on (an admin page), at that follow-up's row."""
    back = request.form.get("back", "")
    page = back if back.startswith("/admin/") and not back.startswith("//") else url_for("admin.ratings")
    return f"{page}#followup-{window}-{service}"


@bp.route("/ratings")
def ratings():
    """Ratings per window and per clerk over a period, the daily trend, and the follow-ups."""
    config = hall()
    last = day_arg("to")
    first, last = checked_range(day_arg("from", default=max(last - timedelta(days=DEFAULT_DAYS - 1), FIRST_DAY)), last)
    windows = {w.id for w in visible_windows(config)}
    clerks = {c.id for c in visible_clerks(config)}
    span = first.isoformat(), last.isoformat()
    reports = fresh(*span).reports
    by_window = [r for r in reports.service_summary(*span, by="window", hall=g.hall) if r["window"] in windows]
    by_clerk = [r for r in reports.service_summary(*span, by="clerk", hall=g.hall) if r["clerk"] in clerks]
    services = visible_rows("services", first, last)
    open_only = request.args.get("open") == "1"
    daily = defaultdict(list)
    for service in services:
        if service["score"] is not None:
            daily[service["day"]].append(service["score"])
    points = [(date.fromisoformat(day), sum(scores) / len(scores)) for day, scores in sorted(daily.items())]
    return render_template("admin/ratings.html", first=first, last=last, by_window=by_window, by_clerk=by_clerk,
                           chart=trend_svg(points, start=first, end=last, label=_("Trend (daily average)")),
                           followups=_followups(first, last, open_only), open_only=open_only,
                           names=names(), today=today().isoformat())


@bp.route("/followups/close", methods=("POST",))
@roles("office")
def close_followup():
    """Close the follow-up of a low rating with a note (verified, rectified, called back)."""
    config = hall()
    window = require_window(config, request.form.get("window", ""))
    note = request.form.get("note", "").strip()
    try:
        service = int(request.form.get("service", ""))
    except ValueError:
        abort(400, description="service: must be a number")
    done = request.form.get("done", "")
    if not note:
        flash(_("%(key)s: %(value)s", key=_("Invalid input"), value=_("Note")))
        return redirect(_back(window.id, service))
    day = done[:10]
    if not any(s["service"] == service and s["done"] == done and s.get("followup_due")
               for s in fresh(day, day, window.id).projections.rows("services", start=day, end=day, window=window.id,
                                                                    hall=g.hall)):
        abort(404)
    store().followups.close(hall=g.hall, window=window.id, service=service, done=done, closed_by=g.user["username"],
                            closed_at=now().isoformat(), note=note)
    audit("close follow-up", {"window": window.id, "service": service, "done": done, "note": note})
    flash(_("Follow-up closed"))
    return redirect(_back(window.id, service))
