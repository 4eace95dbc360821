"""Violations and empty intervals (R2, R3) and handovers (R4), and the row scoping every list shares."""
from flask import g, render_template

from . import filters
from .auth import visible_windows
from .blueprint import bp
from .context import fresh, hall

# Tables whose rows name one clerk, in the projections' clerk column: the clerk search narrows them in the query.
ONE_CLERK = ("attendance", "services", "extra_time", "overtime")


def visible_rows(table, first, last, **filters):
    """Derived rows of *table* for days first..last of the request's hall, limited to the windows the user may see."""
    ids = {w.id for w in visible_windows(hall())}
    span = first.isoformat(), last.isoformat()
    rows = fresh(*span, filters.get("window")).projections.rows(table, start=span[0], end=span[1], hall=g.hall,
                                                                **filters)
    return [row for row in rows if row["window"] in ids]


def filtered_rows(table, flt, *, first=None, status=True):
    """Derived rows of *table* that filter *flt* shows (its windows, clerks, settledness and, when *status*, its
    status), over its days or from *first* to its last day."""
    span = (first or flt.first).isoformat(), flt.last.isoformat()
    single = flt.windows[0] if len(flt.windows) == 1 else None
    rows = fresh(*span, single).projections.matching(
        table, start=span[0], end=span[1], hall=g.hall, windows=flt.windows, kinds=flt.kinds() if status else None,
        clerks=flt.clerks if table in ONE_CLERK else None, provisional=flt.provisional)
    return [row for row in rows if flt.keeps(row, status)]


def names():
    """Display names of clerks and windows, by id."""
    config = hall()
    return {**{c.id: c.name for c in config.clerks.values()}, **{w.id: w.name for w in config.windows}}


@bp.route("/violations")
def violations():
    """Violations (迟到, 早退, 旷工, 脱岗, 空岗) and every empty interval, filtered (:mod:`.filters`)."""
    flt = filters.from_request("violations")
    return render_template("admin/violations.html", bar=filters.bar(flt), names=names(),
                           violations=filtered_rows("violations", flt),
                           empty=filtered_rows("empty_intervals", flt, status=False))


@bp.route("/handovers")
def handovers():
    """Every handover (交接), filtered: who, when, why, how long the window waited."""
    flt = filters.from_request("handovers")
    return render_template("admin/handovers.html", bar=filters.bar(flt), names=names(),
                           handovers=filtered_rows("handovers", flt))

