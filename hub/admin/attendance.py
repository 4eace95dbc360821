"""Attendance (R1, R2, R8): a day for everyone, a month for one clerk, and the facts behind a verdict."""
from collections import Counter
from datetime import datetime, timedelta

from flask import abort, g, render_template, request

from protocol.people import duties

from . import filters
from .auth import require_clerk, require_window, visible_clerks
from .blueprint import bp
from .context import hall, now, store
from .evidence import evidence
from .periods import day_arg, month_arg
from .records import filtered_rows, names, visible_rows


@bp.route("/attendance")
def attendance():
    """Everyone's sign-ins and verdicts over the filter's days (a scheduled session not judged yet shows as
    unknown), and presence outside every session (extra time, R10), filtered (:mod:`.filters`)."""
    flt = filters.from_request("attendance")
    config = hall()
    rows = [dict(row, during_leave=_during_leave(config, row)) for row in filtered_rows("attendance", flt)]
    unknown = [row for row in _unknown(flt, rows) if flt.keeps(row)] if flt.status in ("", "unknown") else []
    return render_template("admin/attendance_day.html", bar=filters.bar(flt), names=names(),
                           rows=sorted(rows + unknown, key=lambda row: row["date"]),
                           extra=filtered_rows("extra_time", flt, status=False))


def _during_leave(config, row):
    """Did the clerk sign in during their approved leave, earlier than arriving early for its end would need?

    Worth the office's look: the leave may have ended early unannounced, or someone pressed for the clerk.
    """
    if row["sign_in"] is None:
        return False
    early = datetime.fromisoformat(row["sign_in"]) + timedelta(minutes=config.rules.arrive_early_min)
    return any(start <= early < end for start, end in config.approved_leave(row["clerk"]))


def _unknown(flt, rows):
    """Rows for the duties of the filter's windows and days begun by now that have no verdict (their window is
    silent): unknown, provisional (final rows asked for: none).

    R3: "A terminal that the hub cannot hear from is unknown, never empty: the hub decides once the events arrive."
    """
    if flt.provisional is False:
        return []
    config, moment = hall(), now()
    judged = {(row["date"], row["window"], row["clerk"], row["session"]) for row in rows}
    days = [flt.first + timedelta(days=n) for n in range((flt.last - flt.first).days + 1)]
    return [{"clerk": d.clerk, "window": d.window, "post": d.post, "session": d.session, "date": day.isoformat(),
             "sign_in": None, "sign_out": None, "status": "unknown", "early_leave": False, "provisional": True}
            for day in days for window in config.windows if window.id in flt.windows
            for d in duties(config, window, day)
            if d.start < moment and (day.isoformat(), d.window, d.clerk, d.session) not in judged]


@bp.route("/attendance/month")
def attendance_month():
    """One clerk's month: each session's verdict and the month's totals (a session counted once, R2)."""
    config = hall()
    clerks = visible_clerks(config)
    if not clerks:
        abort(403)
    clerk = require_clerk(config, request.args.get("clerk") or clerks[0].id)
    first, last = month_arg()
    rows = visible_rows("attendance", first, last, clerk=clerk.id)
    violations = visible_rows("violations", first, last, clerk=clerk.id)
    totals = Counter(status for _, _, status in {(row["date"], row["session"], row["status"]) for row in rows})
    totals.update(v["kind"] for v in violations if v["kind"] in ("early_leave", "off_post"))
    return render_template("admin/attendance_month.html", clerk=clerk, clerks=clerks, month=first.strftime("%Y-%m"),
                           rows=rows, totals=totals, names=names())


@bp.route("/facts")
def facts():
    """The facts a window's terminal recorded on a day (optionally around one session): the verdict's evidence."""
    config = hall()
    window = require_window(config, request.args.get("window", ""))
    day = day_arg()
    rows = store().facts.of_window(window.id, day.isoformat(), hall=g.hall)
    session = request.args.get("session")
    if session:
        spans = [(s, e) for s_, s, e in config.sessions_of(window.id, day) if s_.name == session]
        if not spans:
            abort(404)
        opens = spans[0][0] - timedelta(minutes=config.rules.sign_in_opens_min)
        closes = spans[0][1] + timedelta(minutes=config.rules.sign_in_opens_min)
        rows = [r for r in rows if opens <= datetime.fromisoformat(r["time"]) <= closes]
    happened, anchors = evidence(rows, config, window)
    return render_template("admin/facts.html", window=window, day=day, session=session, rows=happened,
                           anchors=anchors)
