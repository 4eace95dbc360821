"""Violations and empty intervals (R2, R3) and handovers (R4), and the row scoping every list shares."""
from flask import g, render_template

from .auth import visible_windows
from .blueprint import bp
from .context import fresh, hall
from .periods import range_args


def visible_rows(table, first, last, **filters):
    """Derived rows of *table* for days first..last of the request's hall, limited to the windows the user may see."""
    ids = {w.id for w in visible_windows(hall())}
    span = first.isoformat(), last.isoformat()
    rows = fresh(*span, filters.get("window")).projections.rows(table, start=span[0], end=span[1], hall=g.hall,
                                                                **filters)
    return [row for row in rows if row["window"] in ids]


def names():
    """Display names of clerks and windows, by id."""
    config = hall()
    return {**{c.id: c.name for c in config.clerks.values()}, **{w.id: w.name for w in config.windows}}


@bp.route("/violations")
def violations():
    """Violations (迟到, 早退, 旷工, 脱岗, 空岗) and every empty interval in a date range."""
    first, last = range_args()
    return render_template("admin/violations.html", first=first, last=last, names=names(),
                           violations=visible_rows("violations", first, last),
                           empty=visible_rows("empty_intervals", first, last))


@bp.route("/handovers")
def handovers():
    """Every handover (交接) in a date range: who, when, why, how long the window waited."""
    first, last = range_args()
    return render_template("admin/handovers.html", first=first, last=last, names=names(),
                           handovers=visible_rows("handovers", first, last))
