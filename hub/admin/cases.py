"""好差评 cases (:mod:`hub.cases`): the month's 差评 with their handling and rates, one case's steps, and appeals.

The office records 核实, 整改 and 回访 and closes a case once all three are done (the citizen reached); the window's
group leader (or the office) files an appeal of a rating (申诉复核) and the office upholds or rejects it. Every
step is audited.
"""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import cases
from . import terms
from ..store.cases import GROUNDS, OUTCOMES
from ..store.errors import AlreadyClosed, Conflict
from .auth import require_window, roles
from .blueprint import bp
from .context import audit, fresh, hall, now, store
from .halls import is_center
from .periods import month_arg, today
from .records import names, visible_rows

MAX_TEXT = 2000


def _case_args(source):
    """(window, service row) of the case named by *source* (the query or the form); 404 when no such rating."""
    config = hall()
    window = require_window(config, source.get("window", ""))
    try:
        service = int(source.get("service", ""))
    except ValueError:
        abort(400, description=_("%(field)s: must be a number", field=_("service")))
    done = source.get("done", "")
    day = done[:10]
    found = [s for s in fresh(day, day, window.id).projections.rows("services", start=day, end=day, window=window.id,
                                                                    hall=g.hall)
             if s["service"] == service and s["done"] == done and s["score"] is not None]
    if not found:
        abort(404)
    return window, found[0]


def _text(name, label, required=True):
    """The form's field *name*, stripped; 400 naming *label* when required and empty or over MAX_TEXT."""
    value = request.form.get(name, "").strip()
    if (required and not value) or len(value) > MAX_TEXT:
        abort(400, description=_("%(field)s: must be 1 to %(most)s characters", field=label, most=MAX_TEXT))
    return value


def _choice(name, allowed, label):
    value = request.form.get(name, "")
    if value not in allowed:
        abort(400, description=_("%(field)s: must be one of %(allowed)s", field=label, allowed=", ".join(allowed)))
    return value


def _key(row):
    return g.hall, row["window"], row["service"], row["done"]


@bp.route("/cases")
def cases_month():
    """The month's 差评 as cases (state, due, overdue), the month's rates per window and clerk, and appeals."""
    config = hall()
    first, last = month_arg()
    span = first.isoformat(), last.isoformat()
    found = cases.cases_of(visible_rows("services", first, last), store().cases.steps(g.hall),
                           store().followups.closures(g.hall), store().cases.upheld(g.hall), g.hall)
    mine = {row["window"] for row in found} | {w.id for w in config.windows}
    appeals = [a for a in store().cases.appeals(g.hall, start=span[0], end=span[1]) if a["window"] in mine]
    day = today().isoformat()
    return render_template("admin/cases.html", month_arg=first.strftime("%Y-%m"), cases=found, names=names(),
                           by_window=cases.rates(found, day, "window", config.tz),
                           by_clerk=cases.rates(found, day, "clerk", config.tz), appeals=appeals, today=day,
                           by_hall=_rates_by_hall(first, last, day) if is_center() and len(g.halls) > 1 else None)


def _rates_by_hall(first, last, day):
    """The center's view: each hall's month of cases as one line (hall id, name, rates)."""
    span = first.isoformat(), last.isoformat()
    projections, lines = fresh(*span).projections, []
    for entry in g.halls:
        hall_id = entry["id"]
        found = cases.cases_of(projections.rows("services", start=span[0], end=span[1], hall=hall_id),
                               store().cases.steps(hall_id), store().followups.closures(hall_id),
                               store().cases.upheld(hall_id), hall_id)
        total = cases.rates(found, day, "window", store().configs.hall(hall_id).tz)[1]
        if total:
            lines.append((entry["name"], total))
    return lines, None


@bp.route("/cases/case")
def case_page():
    """One rating's case: the rating, its steps, closing it, and its appeal."""
    window, row = _case_args(request.args)
    steps = store().cases.steps(g.hall, window=window.id, service=row["service"], done=row["done"])
    closure = store().followups.closures(g.hall).get((window.id, row["service"], row["done"]))
    appeal = next((a for a in store().cases.appeals(g.hall, start=row["done"][:10], end=row["done"][:10])
                   if (a["window"], a["service"], a["done"]) == (window.id, row["service"], row["done"])), None)
    return render_template("admin/case.html", window=window, row=row, steps=steps, closure=closure, appeal=appeal,
                           state=cases.state(steps, closure), missing=_missing(steps), names=names(),
                           step_words=step_words,
                           methods=cases.CALLBACK_METHODS, satisfactions=cases.HANDLING_SATISFACTION,
                           grounds=GROUNDS, outcomes=OUTCOMES)


def step_words(step):
    """What a recorded step says, in the reader's words and punctuation."""
    detail = step["detail"]
    if step["step"] == "verify":
        return _("%(finding)s (verified by %(who)s)", finding=detail["finding"], who=detail["verified_by"])
    if step["step"] == "rectify":
        return detail["measure"]
    parts = [str(terms.CALLBACK_METHODS[detail["method"]]), _("reached") if detail["reached"] else _("not reached")]
    parts += [str(terms.HANDLING_SATISFACTION[detail["satisfaction"]])] if detail.get("satisfaction") else []
    parts += [detail["note"]] if detail.get("note") else []
    return _(", ").join(parts)


def _missing(steps):
    """What the case still needs before closing, in the reader's words."""
    return [str(terms.CASE_STEPS[step]) for step in cases.missing_for_close(steps)]


def _back_to(row):
    return redirect(url_for("admin.case_page", window=row["window"], service=row["service"], done=row["done"]))


@bp.route("/cases/step", methods=("POST",))
@roles("office")
def case_step():
    """Record 核实 (finding, by whom), 整改 (the measure) or 回访 (method, reached, satisfaction) of a case."""
    _window, row = _case_args(request.form)
    step = _choice("step", cases.NEEDED, _("Step"))
    if step == "verify":
        detail = {"finding": _text("finding", _("What happened")), "verified_by": _text("verified_by", _("Verified by"))}
    elif step == "rectify":
        detail = {"measure": _text("measure", _("Measure taken"))}
    else:
        reached = request.form.get("reached") == "1"
        detail = {"method": _choice("method", cases.CALLBACK_METHODS, _("Method")), "reached": reached,
                  "satisfaction": _choice("satisfaction", cases.HANDLING_SATISFACTION, _("Satisfaction"))
                  if reached else None, "note": _text("note", _("Note"), required=False)}
    try:
        store().cases.add_step(_key(row), step, by=g.user["username"], at=now().isoformat(), detail=detail)
    except AlreadyClosed:
        raise
    except Conflict:
        abort(409, description=_("Another step of this case was recorded at the same moment; reload and retry."))
    audit("case step", {"window": row["window"], "service": row["service"], "done": row["done"], "step": step,
                        **detail})
    flash(_("Step recorded"))
    return _back_to(row)


@bp.route("/cases/close", methods=("POST",))
@roles("office")
def case_close():
    """Close a case once verified, rectified and the citizen reached, with a closing note."""
    _window, row = _case_args(request.form)
    steps = store().cases.steps(g.hall, window=row["window"], service=row["service"], done=row["done"])
    if missing := _missing(steps):
        abort(409, description=_("The case still needs: %(steps)s", steps=_(", ").join(missing)))
    note = _text("note", _("Note"))
    store().followups.close(hall=g.hall, window=row["window"], service=row["service"], done=row["done"],
                            closed_by=g.user["username"], closed_at=now().isoformat(), note=note)
    audit("close follow-up", {"window": row["window"], "service": row["service"], "done": row["done"], "note": note})
    flash(_("Follow-up closed"))
    return _back_to(row)


@bp.route("/cases/appeal", methods=("POST",))
@roles("office", "leader")
def case_appeal():
    """File an appeal of a rating (误评, 恶意差评, wrong service) with its reason."""
    _window, row = _case_args(request.form)
    grounds = _choice("grounds", GROUNDS, _("Grounds"))
    reason = _text("reason", _("Reason"))
    try:
        store().cases.file_appeal(_key(row), grounds=grounds, reason=reason, by=g.user["username"],
                                  at=now().isoformat())
    except Conflict:
        abort(409, description=_("This rating was appealed already; an appeal is filed once."))
    audit("file appeal", {"window": row["window"], "service": row["service"], "done": row["done"],
                          "grounds": grounds, "reason": reason})
    flash(_("Appeal filed"))
    return _back_to(row)


@bp.route("/cases/decide", methods=("POST",))
@roles("office")
def case_decide():
    """Uphold (the rating leaves the statistics, marked) or reject an appeal, with the reason."""
    _window, row = _case_args(request.form)
    outcome = _choice("outcome", OUTCOMES, _("Decision"))
    decision = _text("decision", _("Reason"))
    try:
        store().cases.decide_appeal(_key(row), outcome=outcome, decision=decision, by=g.user["username"],
                                    at=now().isoformat())
    except Conflict:
        abort(409, description=_("No appeal of this rating is waiting for a decision."))
    audit("decide appeal", {"window": row["window"], "service": row["service"], "done": row["done"],
                            "outcome": outcome, "decision": decision})
    flash(_("Appeal decided"))
    return _back_to(row)
